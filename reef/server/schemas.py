"""Request and response bodies of the HTTP API (pydantic models; they shape the OpenAPI document)."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LoginIn", "ActionIn", "ActionPatch", "AnalyzeIn", "Page", "ErrorOut"]


class LoginIn(BaseModel):
    username: str
    password: str


class ActionIn(BaseModel):
    # A misspelled detail ("due_date", "tem") is refused with 422, never dropped in silence.
    model_config = ConfigDict(extra="forbid")

    member_id: str
    kind: str = Field(description="recognise, invite, appoint_leader, add_to_team, seat_council, assign_task, "
                                  "complete_task, seed, boost, respond or note")
    note: Optional[str] = None
    status: str = Field("open", description="open, or done when recorded after the fact")
    source: Optional[str] = Field(None, description="What suggested it, e.g. 'today.recognise'")
    # Details by kind (docs/actions.md); a detail the kind does not take is refused with 422.
    group: Optional[str] = Field(None, description="Group id: invite, appoint_leader (required), seat_council, assign_task")
    content: Optional[str] = Field(None, description="respond: the complaint or rumour answered (resolved, or corrected, on the risk radar); recognise, boost: the post")
    campaign: Optional[str] = Field(None, description="boost: the campaign id it carried (a boost is recorded once a day per member, "
                                                      "campaign and content)")
    text: Optional[str] = Field(None, description="recognise: the recognition text used (default: the note)")
    team: Optional[str] = Field(None, description="add_to_team (required), assign_task: the project team")
    role: Optional[str] = Field(None, description="add_to_team: the member's role in the team")
    layer: Optional[str] = Field(None, description="assign_task: plaza, group, team or council")
    brief: Optional[str] = Field(None, description="assign_task (required, or the note): what to do")
    due: Optional[str] = Field(None, description="assign_task: due date, e.g. 2026-07-31")
    task: Optional[str] = Field(None, description="complete_task: id of the assign_task it completes")

    def details(self) -> dict[str, str]:
        names = ("group", "content", "campaign", "text", "team", "role", "layer", "brief", "due", "task")
        return {k: getattr(self, k) for k in names if getattr(self, k) is not None}


class ActionPatch(BaseModel):
    status: Optional[str] = None
    note: Optional[str] = None


class AnalyzeIn(BaseModel):
    as_of: Optional[str] = None
    only: Optional[list[str]] = None
    force: bool = False


class Page(BaseModel):
    items: list[dict[str, Any]]
    page: int
    per_page: int
    total: int
    pages: int


class ErrorBody(BaseModel):
    code: str
    message: str
    where: Optional[dict[str, Any]] = None
    hint: Optional[str] = None


class ErrorOut(BaseModel):
    error: ErrorBody

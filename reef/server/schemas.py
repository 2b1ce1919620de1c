"""Request and response bodies of the HTTP API (pydantic models; they shape the OpenAPI document).

A field that takes a fixed set, a form or a range declares it for the document (``json_schema_extra``: ``x-reef-enum``,
``x-reef-pattern``, ``x-reef-bounds``; :func:`reef.server.openapi_params.document_bodies`) as the very constants the
library validates it with; the library, not pydantic, checks it, so the refusal reads as on every other surface.

Example:
    >>> ActionIn.model_json_schema()["properties"]["status"]["x-reef-enum"]
    ['open', 'done']
    >>> "ladder" in AnalyzeIn.model_json_schema()["properties"]["only"]["x-reef-enum"]
    True
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from reef.actions.kinds import ACTION_STATUSES, DUE_EXAMPLE, DUE_PATTERN, NEW_STATUSES, OFFERED_KINDS, TASK_LAYERS

__all__ = ["LoginIn", "ActionIn", "ActionPatch", "ActionWithdraw", "AnalyzeIn", "QuarantineDismissIn", "SeedPlanIn", "SeedRecordIn", "ReportIn", "WebhookIn", "WebhookTestIn", "Page",
           "ErrorOut"]


class LoginIn(BaseModel):
    username: str
    password: str


class ActionIn(BaseModel):
    # A misspelled detail ("due_date", "tem") is refused with 422, never dropped in silence.
    model_config = ConfigDict(extra="forbid")

    member_id: str
    kind: str = Field(description="What was done (docs/actions.md): it decides the details taken",
                      json_schema_extra={"x-reef-enum": list(OFFERED_KINDS)})
    note: Optional[str] = None
    status: Optional[str] = Field(None, description="Default: done for recognise, respond and complete_task, recorded after "
                                                     "the fact; open for the rest", json_schema_extra={"x-reef-enum": list(NEW_STATUSES)})
    source: Optional[str] = Field(None, description="What suggested it, e.g. 'today.recognise'")
    # Details by kind (docs/actions.md); a detail the kind does not take is refused with 422.
    group: Optional[str] = Field(None, description="Group id: invite, appoint_leader (required), seat_council, assign_task")
    content: Optional[str] = Field(None, description="respond: the complaint or rumour answered (resolved, or corrected, on the risk radar); recognise, boost: the post")
    campaign: Optional[str] = Field(None, description="boost: the campaign id it carried; seed: the campaign the member starts "
                                                      "(both recorded once a day per member, campaign and content)")
    text: Optional[str] = Field(None, description="recognise: the recognition text used (default: the note)")
    team: Optional[str] = Field(None, description="add_to_team (required), assign_task: the project team")
    role: Optional[str] = Field(None, description="add_to_team: the member's role in the team")
    layer: Optional[str] = Field(None, description="assign_task: the layer of the task", json_schema_extra={"x-reef-enum": list(TASK_LAYERS)})
    brief: Optional[str] = Field(None, description="assign_task (required, or the note): what to do")
    due: Optional[str] = Field(None, description=f"assign_task: due date, e.g. {DUE_EXAMPLE} (of a time only its date is kept)",
                               json_schema_extra={"x-reef-pattern": DUE_PATTERN, "examples": [DUE_EXAMPLE]})
    task: Optional[str] = Field(None, description="complete_task: id of the assign_task it completes")
    topic: Optional[str] = Field(None, description="seed: the topic the member is asked to start (terms)")

    def details(self) -> dict[str, str]:
        names = ("group", "content", "campaign", "text", "team", "role", "layer", "brief", "due", "task", "topic")
        return {k: getattr(self, k) for k in names if getattr(self, k) is not None}


class ActionPatch(BaseModel):
    status: Optional[str] = Field(None, json_schema_extra={"x-reef-enum": list(ACTION_STATUSES)})
    note: Optional[str] = None


class QuarantineDismissIn(BaseModel):
    import_id: Optional[int] = Field(None, strict=True)  # strict: JSON false is no import id 0
    all: bool = False


class ActionWithdraw(BaseModel):
    # The reason is required; a missing or blank one is the library's invalid_parameter (with its hint), not a schema error.
    model_config = ConfigDict(extra="forbid")
    reason: Optional[str] = None


def _registered_analyses(schema: dict[str, Any]) -> None:
    """``only``'s choices: the registered analyses (:data:`reef.analyses.registry.REGISTRY`, discovered), read when the
    document is built, as :func:`reef.server.tasks.start_analyze` checks them."""
    from reef.analyses.registry import discover

    schema["x-reef-enum"] = sorted(discover())


class AnalyzeIn(BaseModel):
    as_of: Optional[str] = None
    only: Optional[list[str]] = Field(None, description="Run only these analyses and what they depend on (default: all)",
                                      json_schema_extra=_registered_analyses)
    force: bool = False


class SeedPlanIn(BaseModel):
    # A misspelled option ("topics") is refused with 422 rather than planning for everyone.
    model_config = ConfigDict(extra="forbid")

    k: Optional[int] = Field(None, strict=True, description="Seeds to choose, 1 to network.seed_max_k (default network.seed_k)",
                             json_schema_extra={"x-reef-bounds": [1, "network.seed_max_k"]})  # check_seed_request
    topic: Optional[str] = Field(None, description="Only members who wrote on these terms (spaces or commas)")
    circle: Optional[str] = Field(None, description="Only members who posted in this group (name or id)")
    exclude: Optional[list[str]] = Field(None, description="Member ids to leave out")
    as_of: Optional[str] = Field(None, description="Plan as of this date (default: the end of the data)")


class SeedRecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign: Optional[str] = Field(None, description="Campaign id the seeds are asked to start")
    note: Optional[str] = Field(None, description="Added to each seed action's note, after the plan's summary: at most the plan's note_max characters (2000 less the summary)")


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: Optional[str] = Field(None, description="The report's as_of (date or time); default: the end of the data")
    lang: Optional[str] = Field(None, description="zh or en; default: general.language")


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resend_failed: bool = Field(False, description="Re-send the failed deliveries instead of sending the new alerts")
    url: Optional[str] = Field(None, description="Admins only: another robot URL than risks.webhook_url")
    platform: Optional[str] = Field(None, description="Admins only: wecom, dingtalk or feishu (default: risks.webhook_platform)")
    robot: Optional[str] = Field(None, description="Only this configured robot ([[risks.robots]] name; default: every configured robot)")


class WebhookTestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Optional[str] = Field(None, description="Admins only: another robot URL than risks.webhook_url")
    platform: Optional[str] = Field(None, description="Admins only: wecom, dingtalk or feishu (default: risks.webhook_platform)")
    lang: Optional[str] = Field(None, description="zh or en: the test message's language (default: general.language)")
    robot: Optional[str] = Field(None, description="Only this configured robot ([[risks.robots]] name; default: every configured robot)")


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

"""Request and response bodies of the HTTP API (pydantic models; they shape the OpenAPI document)."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field

__all__ = ["LoginIn", "ActionIn", "ActionPatch", "AnalyzeIn", "Page", "ErrorOut"]


class LoginIn(BaseModel):
    username: str
    password: str


class ActionIn(BaseModel):
    member_id: str
    kind: str = Field(description="recognise, invite, seed, boost, assign_task, complete_task, respond, note or dismiss_alert")
    note: Optional[str] = None
    status: str = Field("open", description="open, or done when recorded after the fact")
    source: Optional[str] = Field(None, description="What suggested it, e.g. 'today.recognise'")


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

"""A group robot's URL as Reef may show it: never the part that lets anyone post to the group. Pure functions.

A robot URL is a credential. WeCom (``…/webhook/send?key=…``) and DingTalk (``…/robot/send?access_token=…``) keep
the robot's key in the query; Feishu and Lark keep it in the path (``…/open-apis/bot/v2/hook/<token>``). Every page,
log line, error, job answer and ``reef config show`` shows a robot URL through :func:`shown_url`: scheme, host and
path without the query or fragment, and a ``/hook/`` token cut to its first 4 characters (enough to tell two robots
apart). :func:`redact` takes those secret parts out of any text (an exception's message may quote the URL, or its
path and query after signing added ``timestamp`` and ``sign``). Until the QA review of alert delivery (persona: the
IT/ops admin) a Feishu robot's full URL, token included, was printed by ``reef alerts``, its errors, the dashboard's
delivery log and ``reef config show``.

Example:
    >>> shown_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET")
    'https://qyapi.weixin.qq.com/cgi-bin/webhook/send'
    >>> shown_url("https://open.feishu.cn/open-apis/bot/v2/hook/0f3e9a4c-1111-2222-3333-444455556666")
    'https://open.feishu.cn/open-apis/bot/v2/hook/0f3e…'
    >>> redact("URL can't contain control characters. '/robot/send?access_token=AB C&timestamp=1' (found ' ')",
    ...        "https://oapi.dingtalk.com/robot/send?access_token=AB C")
    "URL can't contain control characters. '/robot/send?…&timestamp=1' (found ' ')"
"""
from __future__ import annotations

import re
import urllib.parse

__all__ = ["shown_url", "redact", "secret_parts"]

_HOOK = re.compile(r"(/hook/)([^/?#]+)")  # Feishu / Lark: the robot's token is the path segment after /hook/
_KEPT = 4  # characters of a path token kept in view


def secret_parts(url: str | None) -> list[str]:
    """The parts of ``url`` that must never be shown: its query, its fragment and a ``/hook/`` path token."""
    parts = urllib.parse.urlsplit(str(url or ""))
    found = [p for p in (parts.query, parts.fragment) if p]
    found += [m.group(2) for m in _HOOK.finditer(parts.path) if len(m.group(2)) > _KEPT]
    return sorted(set(found), key=len, reverse=True)


def shown_url(url: str | None) -> str:
    """``url`` without its query and fragment, a ``/hook/`` token cut to its first characters; "" without a host.

    >>> shown_url("https://open.larksuite.com/open-apis/bot/v2/hook/abc")
    'https://open.larksuite.com/open-apis/bot/v2/hook/abc'
    >>> shown_url("not a url")
    ''
    """
    parts = urllib.parse.urlsplit(str(url or ""))
    if not parts.netloc:
        return ""
    path = _HOOK.sub(lambda m: m.group(1) + (m.group(2)[:_KEPT] + "…" if len(m.group(2)) > _KEPT else m.group(2)), parts.path)
    return f"{parts.scheme}://{parts.netloc}{path}"


def redact(text: str | None, *urls: str | None) -> str:
    """``text`` with every secret part of each of ``urls`` (:func:`secret_parts`) replaced by ``…``: the full URL
    first becomes its :func:`shown_url`."""
    out = str(text or "")
    for url in urls:
        if not url:
            continue
        out = out.replace(url, shown_url(url) or "…")
        for part in secret_parts(url):
            out = out.replace(part, "…")
    return out

"""Message formats of the WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) group robots, their signing
and their size limits. Pure functions: nothing here sends or stores anything (:mod:`reef.risks.sending` does).

- One alert = one message (:func:`format_message`); many alerts = digest messages listing them
  (:func:`format_digests`), split so each stays under the platform's size limit.
- Titles name the family as operators know it (热寂/内爆/反噬/熵增, Heat death/Implosion/Backlash/Entropy),
  Chinese or English (``lang``); every text is passed through :func:`reef.text.pii.mask_pii`.
- Text from the data (messages quote members; display names, ids) is neutralised first (:func:`neutralise`): the
  characters of the platform's markup become full-width look-alikes, line breaks spaces and web addresses are
  defanged (``hxxps://evil［.］example``), so a member cannot plant a link, a ``<font>`` or an @all in the ops chat.
- The member (with their display name, ``member_name``, masked like every output) and item ids close each alert's
  text; a text over the size limit is cut in its message, never in the ids. Mail addresses are masked too, whatever
  their local part (``a.b@qq.com`` -> ``a**@qq.com``).
- An alert sent before at a lower severity says so in its badge (``escalated_from``: 🔴 高（升级：中→高）); the
  message ends with where to act (``link``: the full address of the dashboard's ``/risks`` when ``server.public_url``
  is set; without it a bare path would lead nowhere in a group chat, so the page is named in words: 在 Reef 仪表盘打开
  “风险雷达”页). ``data_day`` (the day the alerts' data describes, its time zone named) opens the text: 数据日期：….
- Signing ("加签" / "签名校验" in the robots' security settings): DingTalk takes ``timestamp`` (ms) and
  ``sign`` = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))) as query parameters;
  Feishu takes ``timestamp`` (s) and ``sign`` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))
  in the JSON body. WeCom has no signing (the key in the URL is the secret).

Example:
    >>> format_message({"severity": "high", "family": "backlash", "message": "核心成员情绪转负"}, "wecom")["msgtype"]
    'markdown'
    >>> format_message({"severity": "high", "family": "heat_death", "message": "x"}, "feishu", lang="en")["content"]["text"][:28]
    'Reef risk alert | Heat death'
    >>> dingtalk_sign("secret", 1700000000000)
    'OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D'
    >>> neutralise("[官方通知](http://evil.example) <font>", "wecom")
    '［官方通知］(hxxp［:］//evil［.］example) ＜font＞'
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

from reef.actions.privacy import mask_text
from reef.errors import InvalidParameterError
from reef.risks.robot_text import masked as _masked, neutralise

__all__ = ["PLATFORMS", "LIMITS", "check_url", "family_name", "format_message", "format_digests", "dingtalk_sign",
           "feishu_sign", "signed", "neutralise"]

PLATFORMS = ("wecom", "dingtalk", "feishu")
# Bytes (UTF-8) of what each robot accepts, a little under its documented limit: WeCom markdown content
# 4096 bytes; DingTalk and Feishu refuse request bodies over 20 KB.
LIMITS = {"wecom": 4000, "dingtalk": 19000, "feishu": 19000}
_SEV = {"zh": {"high": "🔴 高", "medium": "🟠 中", "low": "🟢 低"}, "en": {"high": "🔴 high", "medium": "🟠 medium", "low": "🟢 low"}}
_WORDS = {"zh": {"alert": "Reef 风险提醒", "digest": "Reef 风险提醒汇总", "n": "条", "part": "({i}/{k})", "more": "…（截断）",
                 "member": "成员：", "content": "内容：", "escalated": "（升级：{was}→{now}）", "act": "处理：风险雷达 {link}",
                 "act_crisis": "处理：危机室 {link}", "act_page": "处理：在 Reef 仪表盘打开“风险雷达”页",
                 "act_crisis_page": "处理：在 Reef 仪表盘打开“危机室”页", "day": "数据日期：{day}"},
          "en": {"alert": "Reef risk alert", "digest": "Reef risk alerts", "n": "alerts", "part": "({i}/{k})", "more": "… (cut)",
                 "member": "member: ", "content": "item: ", "escalated": " (escalated: {was}→{now})", "act": "Act on it: Risk radar {link}",
                 "act_crisis": "Act on it: Crisis room {link}", "act_page": "Act on it: open Risk radar on the Reef dashboard",
                 "act_crisis_page": "Act on it: open Crisis room on the Reef dashboard", "day": "Data of: {day}"}}
_LEVEL = {"zh": {"high": "高", "medium": "中", "low": "低"}, "en": {"high": "high", "medium": "medium", "low": "low"}}
_NAME_CHARS = 24  # a display name longer than this is cut (a name, not a message)


def check_url(url: str | None) -> str:
    """``url`` when it is an http(s) URL with a host, else :class:`InvalidParameterError`."""
    from reef.config_rules import shown_value, valid_http_url

    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or not valid_http_url(url):
        # The error is shown on pages, in job answers and logs: never the key (a WeCom/DingTalk query, a Feishu token).
        shown = shown_value("risks", "webhook_url", str(url)) if url else url
        raise InvalidParameterError("webhook", shown, "an http:// or https:// robot URL with a host and no spaces",
                                    hint="Copy the robot's webhook address from the group's robot settings, whole and "
                                         "without spaces or line breaks.")
    return url


def family_name(family: str, lang: str = "zh") -> str:
    """The operator-facing name of a risk family (the names of ``risk_scores``)."""
    from reef.risks.analysis import FAMILIES

    if family not in FAMILIES:
        return family
    _, zh, en = FAMILIES[family]
    return en[:1].upper() + en[1:] if lang == "en" else zh


def _lang(lang: str | None) -> str:
    return "en" if (lang or "zh").lower() == "en" else "zh"


def _message(alert: dict, lang: str) -> str:
    own = alert.get("message_en" if lang == "en" else "message_zh")
    return own or alert.get("message") or alert.get("message_zh") or alert.get("message_en") or ""



def _cut(text: str, limit: int, more: str) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes (whole characters), marked when cut."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:max(0, limit - len(more.encode("utf-8")))].decode("utf-8", "ignore") + more



def _severity(alert: dict, lang: str) -> str:
    """The severity badge, with the escalation when the alert was sent before at a lower one (``escalated_from``)."""
    sev = _SEV[lang].get(alert.get("severity", ""), alert.get("severity", ""))
    was = alert.get("escalated_from")
    if was and was != alert.get("severity"):
        sev += _WORDS[lang]["escalated"].format(was=_LEVEL[lang].get(was, was), now=_LEVEL[lang].get(alert.get("severity"), ""))
    return sev


def _alert_text(alert: dict, lang: str, platform: str) -> tuple[str, str, str]:
    """(title, message, ids) of one alert, each neutralised and masked: the message may be cut, the ids never."""
    w = _WORDS[lang]
    sev = _severity(alert, lang)
    title = f"{w['alert']} | {family_name(alert.get('family', ''), lang)} | {sev}" if lang == "en" else \
        f"{w['alert']}｜{family_name(alert.get('family', ''), lang)}｜{sev}"
    inert = lambda t: neutralise(t, platform)  # noqa: E731
    ids = []
    if alert.get("member_id"):
        # Masked after it is made inert (the mask's * must stay *) and before it is cut (a cut number would not be found).
        name = mask_text(inert(" ".join(str(alert.get("member_name") or "").split())))
        name = name if len(name) <= _NAME_CHARS else name[:_NAME_CHARS - 1] + "…"
        mid = inert(alert["member_id"])
        shown = f"{name} ({mid})" if name and name != mid else mid
        ids.append(f"{w['member']}{shown}")
    if alert.get("content_id"):
        ids.append(f"{w['content']}{inert(alert['content_id'])}")
    return _masked(title), _masked(inert(_message(alert, lang))), _masked(" · ".join(ids))


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _wrap(platform: str, title: str, text: str, *, markdown: bool) -> dict:
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}"}}
    if platform == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}
    if platform == "feishu":
        if not markdown:
            return {"msg_type": "text", "content": {"text": f"{title}\n{text}"}}
        return {"msg_type": "interactive", "card": {"header": {"title": {"tag": "plain_text", "content": title}},
                                                    "elements": [{"tag": "markdown", "content": text}]}}
    raise InvalidParameterError("platform", platform, "one of " + ", ".join(PLATFORMS))


def format_message(alert: dict, platform: str, lang: str | None = "zh", data_day: str | None = None) -> dict:
    """The JSON body a group robot of ``platform`` (wecom, dingtalk, feishu) expects for one alert; ``data_day`` (say
    ``2026-06-29 (Asia/Shanghai)``) is the day of the data the alert describes."""
    lang = _lang(lang)
    title, message, ids = _alert_text(alert, lang, platform)
    ids = "\n".join(t for t in (ids, _act(alert.get("link"), lang)) if t)
    day = _day(data_day, lang)
    room = LIMITS.get(platform, 4000) - _size(title) - 200 - (_size(ids) + 1 if ids else 0) - _size(day)
    text = "\n".join(t for t in (day, _cut(message, max(0, room), _WORDS[lang]['more']), ids) if t).strip()
    return _wrap(platform, title, text, markdown=False)


def _day(data_day: str | None, lang: str) -> str:
    return _WORDS[lang]["day"].format(day=data_day) if data_day else ""


def _act(link: str | None, lang: str) -> str:
    """Where to act on the alert: the dashboard's 风险雷达 (or a wave's 危机室) by its full address when ``link`` is
    one (``server.public_url`` is set), else by the page's name (a bare path goes nowhere in a chat); "" without one."""
    if not link:
        return ""
    crisis = urllib.parse.urlsplit(link).path.endswith("/crisis")  # a negative wave's alert links to its crisis room
    if not link.startswith(("http://", "https://")):
        return _WORDS[lang]["act_crisis_page" if crisis else "act_page"]
    return _WORDS[lang]["act_crisis" if crisis else "act"].format(link=link)


def _line(alert: dict, lang: str, platform: str) -> str:
    sev = _severity(alert, lang)
    title, message, ids = _alert_text(alert, lang, platform)
    room = max(200, 600 - (_size(ids) + _size(" · ") if ids else 0))  # the ids stay whole; the message gets the rest
    body = " · ".join(t for t in (_cut(message, room, _WORDS[lang]["more"]), ids) if t)
    return f"- {sev} **{family_name(alert.get('family', ''), lang)}** {body}"


def format_digests(alerts: list[dict], platform: str, lang: str | None = "zh",
                   data_day: str | None = None) -> list[tuple[dict, list[int]]]:
    """Digest messages listing ``alerts`` (markdown; Feishu as a card), each under the platform's size limit.

    Returns ``[(payload, [indexes of the alerts it lists]), ...]``: one message when all fit, more when not. Each
    message ends with where to act on its own alerts, once per place (风险雷达 for the radar's, 危机室 with the aspect
    for a negative wave's), so a part with no wave never sends the reader to the crisis room.

    >>> radar, wave = {"family": "backlash", "link": "https://r.example/risks"}, {"family": "crisis", "link": "/crisis?aspect=x"}
    >>> text = format_digests([wave, radar, radar], "wecom", data_day="2026-06-29 (Asia/Shanghai)")[0][0]["markdown"]["content"]
    >>> [text.splitlines()[1]] + text.splitlines()[-2:]
    ['数据日期：2026-06-29 (Asia/Shanghai)', '处理：在 Reef 仪表盘打开“危机室”页', '处理：风险雷达 https://r.example/risks']
    """
    lang = _lang(lang)
    w, limit = _WORDS[lang], LIMITS.get(platform, 4000) - 300 - _size(_day(data_day, lang))  # room for the title and the JSON
    lines = [_line(a, lang, platform) for a in alerts]
    acts = [_act(a.get("link"), lang) for a in alerts]
    chunks: list[list[int]] = [[]]
    size, places = 0, set()  # bytes of the chunk so far, and the places to act its lines named
    for i, line in enumerate(lines):
        n = _size(line) + 1 + (_size(acts[i]) + 1 if acts[i] and acts[i] not in places else 0)
        if chunks[-1] and size + n > limit:
            chunks.append([])
            size, places = 0, set()
            n = _size(line) + 1 + (_size(acts[i]) + 1 if acts[i] else 0)
        chunks[-1].append(i)
        places.add(acts[i])
        size += n
    out = []
    for k, idx in enumerate(chunks, 1):
        if not idx:
            continue
        part = f" {w['part'].format(i=k, k=len(chunks))}" if len(chunks) > 1 else ""
        title = f"{w['digest']}: {len(alerts)} {w['n']}{part}" if lang == "en" else f"{w['digest']}：{len(alerts)} {w['n']}{part}"
        own = list(dict.fromkeys(acts[i] for i in idx if acts[i]))  # this part's places, in the order its alerts come
        head = [_day(data_day, lang)] if data_day else []
        out.append((_wrap(platform, title, "\n".join([*head, *(lines[i] for i in idx), *own]), markdown=True), idx))
    return out


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign`` query parameter (already URL-encoded) for ``timestamp_ms``."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's ``sign`` body field for ``timestamp_s``: the key is timestamp + newline + secret, the message empty."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode("utf-8"), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed(url: str, payload: dict, platform: str, secret: str, now: float) -> tuple[str, dict]:
    """The URL and body to post, signed for ``platform`` at time ``now`` (seconds) when a secret is set."""
    if not secret:
        return url, payload
    if platform == "dingtalk":
        ts = int(now * 1000)
        return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={dingtalk_sign(secret, ts)}", payload
    if platform == "feishu":
        ts = int(now)
        return url, {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **payload}
    return url, payload

"""Text from the data made safe for a group robot's message: markup made inert, web addresses defanged, mail
addresses masked. Split out of :mod:`reef.risks.robots` (which re-exports :func:`neutralise`); pure functions.

- :func:`neutralise`: the characters of the platform's markup become full-width look-alikes, line breaks spaces and web
  addresses are defanged (``hxxps://evil［.］example``), so a member cannot plant a link, a ``<font>`` or an @all in
  the ops chat.
- :func:`masked`: personal data masked (:func:`reef.text.pii.mask_pii`), mail addresses too, whatever their local
  part (``a.b@qq.com`` -> ``a**@qq.com``).

Example:
    >>> neutralise("[官方通知](http://evil.example) <font>", "wecom")
    '［官方通知］(hxxp［:］//evil［.］example) ＜font＞'
    >>> masked("a.b@qq.com")
    'a**@qq.com'
"""
from __future__ import annotations

import re

from reef.text.pii import mask_pii

__all__ = ["neutralise", "masked"]

# A mail address: masked like a QQ mail (its first character kept), whatever its local part holds (a.b@qq.com); the
# personal-data layer knows QQ numbers only.
_MAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9][A-Za-z0-9._%+\-]*)(@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# Markup each format reads in text: WeCom markdown ([text](url), <font color>, <@userid>,
# **, `, # and > at a line start), DingTalk markdown (links, images ![](url), headings, **, *, > quotes, HTML such as
# <font>), Feishu card markdown (links, <at id=all>, <font>, **, *, ~~, `) and Feishu text (<at user_id="all">; it
# gets the card's set too: text messages may read link and bold syntax as well).
# Each character becomes its full-width look-alike: readable, never markup; "<" only where it could open a tag or an
# autolink (before a letter, /, !, ? or @), so "<1/1,000,000" stays as written. Line breaks become spaces, so data can
# never start a line (headings, quotes, lists).
_FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "[]<>*`#~&|!"}
_MARKUP = {"wecom": "[]>*`#&", "dingtalk": "[]>*`#&|!", "feishu": "[]>*`#~&"}
_TAG = re.compile(r"<(?=[A-Za-z/!?@])")
_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
# Web addresses a chat client turns into links: a scheme (http(s) defanged to hxxp, every other scheme's "://", such as
# weixin://, broken up), and the dots of a host name after a scheme, starting www. or ending in a label of two or more
# letters (any top-level domain: evil.ru, shop.hk). Numbers (5.4, OTA 3.5) are left alone; the domain of a mail address
# (after @) too, so the personal-data masking that follows still recognises 12345678@qq.com.
_SCHEME = re.compile(r"(?i)\b(h)tt(ps?)(?=:)")
_ANY_SCHEME = re.compile(r"(?i)(?<=[a-z0-9+.-]):(?=//)")
_HOST = re.compile(r"(?i)(?<![a-z0-9-])(?:[a-z0-9-]+\.)+[a-z0-9-]+(?![a-z0-9-])")
_TLD = re.compile(r"[a-z]{2,}", re.I)
# What follows a mail address's local part: "@" and a dotted domain. "evil.ru@ 领奖" or "://evil.ru@" is no address:
# a chat client would still link evil.ru, so it is defanged.
_MAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _defang(m: re.Match) -> str:
    host = m.group(0)
    after_scheme = m.string[max(0, m.start() - 3):m.start()] in ("://", "］//")  # "://" is broken up before this
    if not after_scheme and _MAIL_DOMAIN.match(m.string, m.end()):
        return host  # a mail address's local part (a.b@qq.com): masked next, and no web link
    if m.start() > 0 and m.string[m.start() - 1] == "@" and not after_scheme:
        token = re.split(r"\s", m.string[:m.start()])[-1]
        if "//" not in token:  # user@host after a scheme (hxxp://a.b@evil.com/x) is a web address: defanged below
            return host  # a mail address's domain: masked next if it is personal data, and no web link
    if not after_scheme and not host.lower().startswith("www.") and not _TLD.fullmatch(host.rsplit(".", 1)[-1]):
        return host  # "5.4", "OTA3.5": not an address
    return host.replace(".", "［.］")


def neutralise(text: str, platform: str) -> str:
    """``text`` from the data made inert in a ``platform`` message: its markup characters full-width, its line breaks
    spaces, its web addresses defanged (no clickable link).

    >>> neutralise("看这里 www.evil.com\\n# 标题 **粗体**", "dingtalk")
    '看这里 www［.］evil［.］com ＃ 标题 ＊＊粗体＊＊'
    >>> neutralise('<at user_id="all">所有人</at> 续航5.4秒，概率<1/1,000', "feishu")
    '＜at user_id="all"＞所有人＜/at＞ 续航5.4秒，概率<1/1,000'
    """
    chars = _MARKUP.get(platform, "".join(_FULL_WIDTH).replace("<", ""))
    text = _TAG.sub("＜", _BREAKS.sub(" ", str(text or ""))).translate({ord(c): _FULL_WIDTH[c] for c in chars})
    return _HOST.sub(_defang, _ANY_SCHEME.sub("［:］", _SCHEME.sub(r"\1xx\2", text)))


def masked(text: str) -> str:
    """Personal data masked (:func:`mask_pii`), mail addresses too (``a****@qq.com``)."""
    return _MAIL.sub(lambda m: m.group(1)[0] + "*" * (len(m.group(1)) - 1) + m.group(2), mask_pii(text))

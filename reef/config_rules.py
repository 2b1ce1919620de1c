"""Rules of the ``[server]`` keys, the robot URL and the risk score thresholds, and the rules that tie two keys together
(an ordered pair such as ``risks.alert_score`` <= ``risks.high_score``). :mod:`reef.config_checks` runs the one-key
rules when a file or override is merged; :func:`check_pairs` runs once every source is merged, naming the key a file
(or override) set and that file, with the message every config check uses
(``Invalid value for 'section.key': value. Expected ....``).

Example:
    >>> server_rule("port", 70000)
    'a port number from 1 to 65535'
    >>> server_rule("public_url", "reef.example.com")
    'an http:// or https:// address with a host (https://reef.example.com), or "" (none)'
    >>> server_rule("cors_origins", ["https://bi.example.com", "*"]) is None
    True
    >>> risks_rule("alert_score", 150.0)
    'a score from 0 to 100'
    >>> shown_value("risks", "webhook_url", "127.0.0.1:18777/send?key=SECRET")
    '127.0.0.1:18777/send?…'
"""
from __future__ import annotations

import re
import urllib.parse
from typing import Any

__all__ = ["PORT_RANGE", "valid_port", "valid_host", "valid_http_url", "valid_origin", "server_rule", "risks_rule", "shown_value",
           "ordered_pairs", "check_pairs"]

PORT_RANGE = (1, 65535)
_HOST = re.compile(r"[A-Za-z0-9._:\-]+")
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")
# [server] keys that are whole numbers of at least 1 (0 would stop logins, pages, jobs or uploads) and of at least 0.
_SERVER_AT_LEAST_ONE = ("session_hours", "login_max_attempts", "login_window_seconds", "page_size", "max_page_size",
                        "job_workers", "jobs_kept", "max_upload_mb", "max_body_bytes", "profile_contributions",
                        "recognise_top", "recognise_days")
_SERVER_AT_LEAST_ZERO = ("auth_cache_seconds", "read_cache_seconds", "session_idle_minutes")
_SCORES = ("alert_score", "high_score")  # risk scores run from 0 to 100 (docs/risks.md)


def valid_port(port: Any) -> bool:
    """True for a TCP port number a server can listen on (1-65535)."""
    return isinstance(port, int) and not isinstance(port, bool) and PORT_RANGE[0] <= port <= PORT_RANGE[1]


def valid_host(host: Any) -> bool:
    """True for an address to listen on: a host name or an IP address, without a scheme, port or path."""
    return isinstance(host, str) and bool(_HOST.fullmatch(host.strip())) and "//" not in host


def valid_http_url(url: Any) -> bool:
    """True for an http:// or https:// address with a host."""
    text = str(url or "").strip()
    if _SPACE.search(text):  # a space or line break inside (a bad paste): urllib would refuse it only when posting
        return False
    parts = urllib.parse.urlsplit(text)
    try:
        parts.port  # noqa: B018 - a port out of range raises ValueError
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def valid_origin(origin: Any) -> bool:
    """True for a CORS origin as a browser sends it (``https://bi.example.com``, ``http://127.0.0.1:3000``) or ``*``:
    nothing after the host and port, not even ``/`` (an origin with one would never match)."""
    if origin == "*":
        return True
    if not isinstance(origin, str) or not valid_http_url(origin):
        return False
    parts = urllib.parse.urlsplit(origin)
    return not (parts.path or parts.query or parts.fragment or parts.username or parts.password) and "?" not in origin \
        and "#" not in origin


def server_rule(key: str, value: Any) -> str | None:
    """What ``server.key`` expects when ``value`` breaks its rule, else None (the type is checked already)."""
    if key == "port":
        return None if valid_port(value) else "a port number from 1 to 65535"
    if key == "host":
        return None if valid_host(value) else "a host name or IP address to listen on (127.0.0.1, 0.0.0.0), without scheme, port or path"
    if key == "public_url":
        if not str(value).strip() or valid_http_url(value):
            return None
        return 'an http:// or https:// address with a host (https://reef.example.com), or "" (none)'
    if key == "cors_origins":
        bad = [o for o in value if not valid_origin(o)]
        return None if not bad else ('origins such as "https://bi.example.com" (scheme and host, an optional port, no '
                                     f'path or trailing /), or "*" for any (not: {", ".join(map(repr, bad))})')
    if key in _SERVER_AT_LEAST_ONE:
        return None if value >= 1 else "a whole number at least 1"
    if key in _SERVER_AT_LEAST_ZERO:
        off = "the idle limit" if key == "session_idle_minutes" else "the cache"
        return None if value >= 0 else f"a whole number of at least 0 (0 turns {off} off)"
    return None


def risks_rule(key: str, value: Any) -> str | None:
    """The ``[risks]`` rules the general ones do not cover: the robot URL and the score thresholds."""
    if key == "webhook_url":
        if not str(value).strip() or valid_http_url(value):
            return None
        return 'an http:// or https:// robot URL with a host and no spaces, or "" (no delivery)'
    if key in _SCORES:
        return None if 0 <= value <= 100 else "a score from 0 to 100"
    return None


def shown_value(section: str, key: str, value: Any) -> Any:
    """``value`` as an error (or ``reef config show``) may show it: a robot URL without its key (the query of WeCom and
    DingTalk, the ``/hook/`` token of Feishu: :func:`reef.risks.robot_urls.shown_url`), a secret not at all ("…" when
    set), a ``[[risks.robots]]`` list with each robot's URL and secret shown so."""
    if (section, key) == ("risks", "webhook_secret") or (section, key) == ("robots", "secret"):
        return "…" if value else value
    if (section, key) in (("risks", "webhook_url"), ("robots", "url")) and isinstance(value, str):
        from reef.risks.robot_urls import secret_parts, shown_url

        if not secret_parts(value):
            return value
        return (shown_url(value) + ("?…" if "?" in value else "")) if shown_url(value) else re.sub(r"[?#].*", "?…", value, flags=re.S)
    if (section, key) == ("risks", "robots") and isinstance(value, list):
        return [{k: shown_value("robots", k, v) for k, v in r.items()} if isinstance(r, dict) else r for r in value]
    return value


def ordered_pairs(data: dict[str, dict[str, Any]]) -> list[tuple[str, str, bool]]:
    """``[(low, high, strict), ...]``: dotted keys whose values must keep ``low <= high`` (``<`` when ``strict``). The
    fixed pairs, and every ``*_ok`` / ``*_bad`` ramp of ``[risks]`` and ``[layers]`` in the order its packaged
    defaults have (a ramp's ends may not meet or swap: equal ends score nothing, swapped ones score the wrong way)."""
    pairs = [("risks.alert_score", "risks.high_score", False), ("risks.inactive_min_days", "risks.inactive_max_days", False),
             ("server.page_size", "server.max_page_size", False), ("network.seed_k", "network.seed_max_k", False),
             ("layers.council_fallback_stage", "layers.council_min_stage", False),
             ("kb.crisis_baseline_days", "kb.crisis_history_days", True)]
    from reef.config import packaged_defaults

    for section in ("risks", "layers"):
        defaults = packaged_defaults(section)
        for key in sorted(defaults):
            if "_ok" not in key:
                continue
            other = key.replace("_ok", "_bad")
            if other not in defaults or other not in data.get(section, {}):
                continue
            ok, bad = f"{section}.{key}", f"{section}.{other}"
            pairs.append((ok, bad, True) if defaults[key] < defaults[other] else (bad, ok, True))
    return [p for p in pairs if all(k.partition(".")[2] in data.get(k.partition(".")[0], {}) for k in p[:2])]


def check_pairs(data: dict[str, dict[str, Any]], set_by: dict[str, str]) -> None:
    """Raise :class:`reef.errors.ConfigError` for the first ordered pair ``data`` breaks, naming the key of the pair
    that ``set_by`` (dotted key -> the file or ``<override>`` that set it) names last, and that file."""
    from reef.errors import ConfigError, Location

    def value(dotted: str) -> Any:
        section, _, key = dotted.partition(".")
        return data[section][key]

    from reef.robot_config import clash

    shared = clash(data)
    if shared is not None:  # the unnamed robot and a named one would share one delivery state
        order = list(set_by)
        named = max(("risks.webhook_url", "risks.robots"), key=lambda k: order.index(k) if k in set_by else -1)
        raise ConfigError(f"Invalid value for '{named}': {shown_value('risks', 'webhook_url', shared)!r}. Expected a robot URL "
                          "not used by both risks.webhook_url and a [[risks.robots]] table of the same format.",
                          where=Location(file=set_by.get(named, "defaults.toml"), field=named),
                          message_zh=f"'{named}' 的值无效：{shown_value('risks', 'webhook_url', shared)!r}。risks.webhook_url "
                                     "与同一格式的 [[risks.robots]] 机器人不能使用同一网址。")
    for low, high, strict in ordered_pairs(data):
        a, b = value(low), value(high)
        if (a < b) if strict else (a <= b):
            continue
        order = list(set_by)
        named = max((low, high), key=lambda k: order.index(k) if k in set_by else -1)
        if named not in set_by:
            named = low
        other = high if named == low else low
        bound = ("below " if strict else "at most ") if named == low else ("above " if strict else "at least ")
        raise ConfigError(f"Invalid value for '{named}': {value(named)!r}. Expected {bound}{other} ({value(other)!r}).",
                          where=Location(file=set_by.get(named, "defaults.toml"), field=named))

"""Settings the store splices into SQL (``SET TimeZone``, ``SET memory_limit``), checked again right before: a Config
is checked when it is merged, but a value that reaches SQL is checked where it does. The refusal is a ConfigError in
the one template of an invalid value, English and Chinese (:func:`reef.errors.invalid_value_en`).

Example:
    >>> safe_zone("Asia/Shanghai"), safe_size(" 3GB ")
    ('Asia/Shanghai', '3GB')
    >>> safe_size("3 lots")
    Traceback (most recent call last):
    ...
    reef.errors.ConfigError: field 'store.memory_limit': Invalid value for 'store.memory_limit': '3 lots'. Expected a size like 3GB or 512MB.
"""
from __future__ import annotations

from reef.errors import ConfigError, Location, invalid_value_en
from reef.errors_zh import invalid_value_zh

__all__ = ["safe_zone", "safe_size"]


def _refused(name: str, value: str, expected: str) -> ConfigError:
    return ConfigError(invalid_value_en(name, value, expected), where=Location(field=name),
                       message_zh=invalid_value_zh(name, value, expected))


def safe_zone(zone: str) -> str:
    """The zone, when it is a valid IANA time zone name."""
    from reef.config_checks import valid_zone

    if not valid_zone(zone):
        raise _refused("general.timezone", zone, "an IANA time zone name such as Asia/Shanghai")
    return zone


def safe_size(size: str) -> str:
    """The memory size (``3GB``, ``512MB``), stripped."""
    from reef.config_checks import valid_size

    if not valid_size(size):
        raise _refused("store.memory_limit", size, "a size like 3GB or 512MB")
    return size.strip()

"""Configuration: one documented TOML file of defaults, overridden per community.

Resolution order (later wins): packaged ``defaults.toml`` -> file named by ``REEF_CONFIG``
-> ``reef.toml`` beside the store -> an explicit ``path``. Unknown sections or keys,
wrong types and bad values are errors that name the file and the key; rules that tie two keys together
(``risks.alert_score`` <= ``risks.high_score``) are checked once every source is merged.

Example:
    >>> cfg = load_config()
    >>> cfg.get("general.timezone")
    'Asia/Shanghai'
"""
from __future__ import annotations

import copy
import functools
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from reef.errors import ConfigError, Location
from reef.config_words import toml_kind, toml_value, wrong_type_en, wrong_type_zh
from reef.errors_zh import invalid_value_zh

__all__ = ["Config", "load_config", "default_config_text", "packaged_defaults"]


def default_config_text() -> str:
    """The packaged defaults file, comments included."""
    return resources.files("reef").joinpath("defaults.toml").read_text(encoding="utf-8")


@functools.cache
def _packaged() -> dict[str, dict[str, Any]]:
    return tomllib.loads(default_config_text())


def packaged_defaults(section: str) -> dict[str, Any]:
    """One section of the packaged defaults, so parameter dataclasses take their defaults from
    ``defaults.toml`` instead of repeating them (parsed once per process).

    Example:
        >>> packaged_defaults("kb")["crisis_window_hours"]
        24
    """
    return dict(_packaged()[section])


class Config:
    """A validated, read-only view of the merged configuration."""

    def __init__(self, data: dict[str, dict[str, Any]], sources: list[str]):
        self._data = data
        self.sources = sources

    def get(self, dotted: str) -> Any:
        """Return the value of ``section.key``; raise :class:`ConfigError` if unknown."""
        section, _, key = dotted.partition(".")
        try:
            return self._data[section][key]
        except KeyError:
            raise ConfigError(f"Unknown configuration key '{dotted}'.", message_zh=f"没有配置项 '{dotted}'。") from None

    def section(self, name: str) -> dict[str, Any]:
        """A copy of one section."""
        if name not in self._data:
            raise ConfigError(f"Unknown configuration section '{name}'.", message_zh=f"没有配置节 '{name}'。")
        return dict(self._data[name])

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return copy.deepcopy(self._data)

    def origins(self) -> dict[str, str]:
        """``{"section.key": file}`` for every key a configuration file set (the last file setting it wins);
        keys not listed come from the packaged defaults or an override."""
        origin: dict[str, str] = {}
        for source in self.sources[1:]:
            if source.startswith("<"):
                continue
            with open(source, "rb") as fh:
                for section, values in tomllib.load(fh).items():
                    for key in values:
                        origin[f"{section}.{key}"] = source
        return origin

    def with_overrides(self, overrides: dict[str, Any]) -> "Config":
        """A new Config with overrides applied and validated: flat ``{"ladder.alert_hours": 3}`` or nested by
        section, as a TOML file reads, ``{"ladder": {"alert_hours": 3}}`` (both may be mixed).

        >>> load_config().with_overrides({"ladder": {"alert_hours": 3}, "general.language": "en"}).get("ladder.alert_hours")
        3
        """
        data = copy.deepcopy(self._data)
        try:
            set_by = self.origins()
        except (OSError, ValueError):  # a source file gone or changed since: name the override's keys only
            set_by = {}
        for name, value in overrides.items():
            section, dot, key = str(name).partition(".")
            if dot:
                _merge_value(data, section, key, value, "<override>")
                _set(set_by, f"{section}.{key}", "<override>")
                continue
            if section not in data:
                _merge_value(data, section, "", value, "<override>")  # names the known sections
            if not isinstance(value, dict):
                raise ConfigError(f"The override '{section}' must be a dict of that section's keys, got {toml_value(value)}.",
                                  where=Location(file="<override>", field=section),
                                  message_zh=f"覆盖项 '{section}' 应是该节各配置项的字典，实际是 {toml_value(value)}。",
                                  hint=f'Write {{"{section}": {{"key": value}}}} or {{"{section}.key": value}}.',
                                  hint_zh=f'请写成 {{"{section}": {{"key": value}}}} 或 {{"{section}.key": value}}。')
            for key, item in value.items():
                _merge_value(data, section, key, item, "<override>")
                _set(set_by, f"{section}.{key}", "<override>")
        from reef.config_rules import check_pairs

        check_pairs(data, set_by)  # rules tying two keys together (risks.alert_score <= risks.high_score)
        return Config(data, self.sources + ["<override>"])


# Keys removed from defaults.toml and the key that now holds their rule: an old config is told what to write instead.
RETIRED_KEYS = {
    "layers.leader_max_hostile": "layers.conduct_max_hostile",
    "layers.council_max_hostile": "layers.conduct_max_hostile",
    "layers.council_exclude_burnout": "layers.conduct_max_hostile",
}


def _set(set_by: dict[str, str], dotted: str, source: str) -> None:
    """Record that ``source`` set ``dotted`` last (the order :func:`reef.config_rules.check_pairs` names a key by)."""
    set_by.pop(dotted, None)
    set_by[dotted] = source


def _merge_value(data: dict, section: str, key: str, value: Any, source: str) -> None:
    if section not in data:
        raise ConfigError(
            f"Unknown section [{section}].",
            where=Location(file=source),
            hint=f"Known sections: {', '.join(sorted(data))}.",
            message_zh=f"没有配置节 [{section}]。", hint_zh=f"已有的配置节：{'、'.join(sorted(data))}。",
        )
    if key not in data[section]:
        if (f"{section}.{key}") in RETIRED_KEYS:
            now = RETIRED_KEYS[f"{section}.{key}"]
            raise ConfigError(
                f"The key '{section}.{key}' was retired; its rule is now '{now}'.",
                where=Location(file=source, field=f"{section}.{key}"),
                hint=f"Replace it by '{now}' (see docs/configuration.md).",
                message_zh=f"配置项 '{section}.{key}' 已停用，规则改由 '{now}' 设定。", hint_zh=f"请改用 '{now}'（见 docs/configuration.md）。",
            )
        raise ConfigError(
            f"Unknown key '{key}' in section [{section}].",
            where=Location(file=source, field=f"{section}.{key}"),
            hint=f"Known keys: {', '.join(sorted(data[section]))}.",
            message_zh=f"配置节 [{section}] 中没有配置项 '{key}'。", hint_zh=f"该节的配置项：{'、'.join(sorted(data[section]))}。",
        )
    default = data[section][key]
    ok = isinstance(value, type(default)) or (isinstance(default, float) and isinstance(value, int))
    if isinstance(default, bool) != isinstance(value, bool):
        ok = False
    if not ok:
        raise ConfigError(wrong_type_en(f"{section}.{key}", value, default),  # TOML's words: "true or false", [1, 2]
                          where=Location(file=source, field=f"{section}.{key}"),
                          message_zh=wrong_type_zh(f"{section}.{key}", value, default))
    if isinstance(default, dict):
        _check_table(section, key, default, value, source)
    if (section, key) == ("risks", "robots"):  # a list of tables: the error names the table and its key
        _check_robots(value, source)
    from reef.config_checks import check_value

    expected = check_value(section, key, default, value)
    if expected is not None:
        from reef.config_rules import shown_value

        from reef.errors import invalid_value_en

        raise ConfigError(invalid_value_en(f"{section}.{key}", shown_value(section, key, value), expected),
                          where=Location(file=source, field=f"{section}.{key}"),
                          message_zh=invalid_value_zh(f"{section}.{key}", shown_value(section, key, value), expected))
    if f"{section}.{key}" in _MERGED_TABLES:  # a file names the attributes it changes; the others keep their words
        value = {**default, **value}
    data[section][key] = float(value) if isinstance(default, float) else value


# Tables by claim attribute merged key by key with what is already set (docs/configuration.md).
_MERGED_TABLES = {"risks.claim_qualifiers", "risks.claim_tolerance"}
# Weight tables read by name: each needs exactly its own keys (a typo would otherwise fail deep inside an analysis).
_FIXED_KEYS = {"layers.health_weights", "layers.leader_weights", "layers.plaza_weights", "layers.council_weights"}


def _check_robots(value: Any, source: str) -> None:
    """Refuse a ``[[risks.robots]]`` list with an unknown format, a bad URL, an unknown family or severity ...,
    naming the table and its key (``risks.robots[2].format``) in English and Chinese."""
    from reef.robot_config import robots_problem

    problem = robots_problem(value)
    if problem is None:
        return
    name, bad, expected, expected_zh = problem
    from reef.config_rules import shown_value

    shown = shown_value("risks", "webhook_url" if name.endswith(".url") else "webhook_secret" if name.endswith(".secret")
                        else "robots", bad)
    from reef.errors_zh import value_words  # a list of families as its items, not ['x', 'y']

    raise ConfigError(f"Invalid value for '{name}': {value_words(shown, 'en')}. Expected {expected}.",
                      where=Location(file=source, field=name),
                      message_zh=f"'{name}' 的值无效：{value_words(shown, 'zh')}。应为{expected_zh}。")


def _check_table(section: str, key: str, default: dict, value: dict, source: str) -> None:
    where = Location(file=source, field=f"{section}.{key}")
    if f"{section}.{key}" in _FIXED_KEYS and set(value) != set(default):
        raise ConfigError(f"'{section}.{key}' needs exactly the keys {', '.join(sorted(default))}; got {', '.join(sorted(value)) or 'none'}.",
                          where=where, message_zh=f"'{section}.{key}' 须恰好包含这些键：{'、'.join(sorted(default))}；"
                                                  f"实际是：{'、'.join(sorted(value)) or '无'}。")
    numeric = default and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in default.values())
    if numeric:
        for k, v in value.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ConfigError(f"'{section}.{key}.{k}' must be a number, got {toml_value(v)} ({toml_kind(v)}).",
                                  where=where, message_zh=f"'{section}.{key}.{k}' 应为数，实际是 {toml_value(v)}（{toml_kind(v, 'zh')}）。")


def _merge_file(data: dict, path: Path, set_by: dict[str, str] | None = None) -> None:
    try:
        with open(path, "rb") as fh:
            loaded = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"Cannot read configuration file: {exc.strerror}.", where=Location(file=str(path)),
                          message_zh=f"无法读取配置文件：{exc.strerror}。") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Not valid TOML: {exc}.", where=Location(file=str(path)),
                          message_zh=f"不是有效的 TOML：{exc}。") from exc
    for section, values in loaded.items():
        if not isinstance(values, dict):
            raise ConfigError(f"Top-level key '{section}' must be a [section].", where=Location(file=str(path)),
                              message_zh=f"顶层的键 '{section}' 应写成配置节 [{section}]。")
        for key, value in values.items():
            _merge_value(data, section, key, value, str(path))
            if set_by is not None:
                _set(set_by, f"{section}.{key}", str(path))


def load_config(path: str | os.PathLike | None = None, store_path: str | os.PathLike | None = None) -> Config:
    """Load defaults and apply overrides (see module docstring for the order)."""
    data = tomllib.loads(default_config_text())
    sources = ["defaults.toml"]
    candidates: list[Path] = []
    if os.environ.get("REEF_CONFIG"):
        candidates.append(Path(os.environ["REEF_CONFIG"]))
    if store_path is not None and str(store_path) != ":memory:":
        beside = Path(store_path).with_name("reef.toml")
        if beside.exists():
            candidates.append(beside)
    if path is not None:
        if not Path(path).exists():
            raise ConfigError("Configuration file not found.", where=Location(file=str(path)), message_zh="找不到配置文件。")
        candidates.append(Path(path))
    set_by: dict[str, str] = {}
    for candidate in candidates:
        _merge_file(data, candidate, set_by)
        sources.append(str(candidate))
    from reef.config_rules import check_pairs

    check_pairs(data, set_by)  # rules tying two keys together, once every source is merged
    return Config(data, sources)

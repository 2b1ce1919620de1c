"""Value checks for configuration keys, run when a file or override is merged, so a bad value fails naming the
file and the dotted key (``reef config show`` is the way to check a file).

``[general]`` and ``[store]`` have rules here (a known language and time zone, a DuckDB memory size); ``[server]``, the
robot URL (``risks.webhook_url``) and the risk score thresholds have theirs in :mod:`reef.config_rules`, with the rules
that tie two keys together (``risks.alert_score`` <= ``risks.high_score``, checked once every source is merged).
``[ladder]``, ``[effect]`` and ``[simulate]`` keep their rules in their parameter classes; each key is checked by
building that class with the one value (:func:`check_value` returns what it expects). For ``[layers]``, ``[network]``,
``[kb]``, ``[team]`` and ``[risks]`` these rules run when a file or override is merged, so a bad value fails at
once, naming the key, instead of giving nonsense (a negative circle count) or a crash deep inside an analysis:
- numbers whose default is not negative stay at 0 or above (tone and score thresholds may be negative);
- shares, quantiles, probabilities and damping factors lie in [0, 1];
- counts, windows and sizes are whole numbers of at least 1;
- lists and weight tables of kinds name only kinds that exist; the claim tables (``risks.claim_qualifiers``,
  ``risks.claim_tolerance``) name only claim attributes.

Example:
    >>> check_value("layers", "max_circles", 30, -3)
    'a whole number at least 1'
    >>> check_value("layers", "trust_kinds", ["ask"], ["accpet"])
    'kinds among: accept, agree, answer, ask, follow, like, mention, quote, reply, share (unknown: accpet)'
    >>> check_value("layers", "max_circles", 30, 12) is None
    True
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["CHECKED_SECTIONS", "check_value", "check_config", "valid_zone", "valid_size"]

CHECKED_SECTIONS = ("layers", "network", "kb", "team", "risks")
_SIZE = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.I)


def valid_zone(zone: Any) -> bool:
    """True for an IANA time zone name (Asia/Shanghai)."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(str(zone))
    except Exception:
        return False
    return bool(str(zone).strip())


def valid_size(size: Any) -> bool:
    """True for a DuckDB memory size such as 3GB or 512MB."""
    return bool(_SIZE.fullmatch(str(size).strip()))


def _basic(section: str, key: str, value: Any) -> str | None:
    """Rules of the [general] and [store] keys."""
    if (section, key) == ("general", "language"):
        from reef.i18n import LANGUAGES

        return None if value in LANGUAGES else "one of " + ", ".join(LANGUAGES)
    if (section, key) == ("general", "timezone"):
        return None if valid_zone(value) else "an IANA time zone name such as Asia/Shanghai"
    if (section, key) == ("store", "memory_limit"):
        return None if valid_size(value) else "a size like 3GB or 512MB"
    if (section, key) == ("store", "threads"):
        return None if value >= 0 else "a whole number of at least 0 (0 lets DuckDB decide)"
    return None


class _Section:
    """Just enough of a Config for a parameter function that reads one section."""

    def __init__(self, name: str, values: dict[str, Any]):
        self._name, self._values = name, values

    def section(self, name: str) -> dict[str, Any]:
        return dict(self._values)


def _by_parameter_class(section: str, key: str, value: Any) -> str | None:
    """What the section's parameter class expects of ``key`` when ``value`` breaks its rule (None if it holds)."""
    from reef.errors import InvalidParameterError

    try:
        if section == "ladder":
            from reef.ladder.params import LadderParams as build
        elif section == "simulate":
            from reef.simulate.spec import SimulationSpec as build
        else:
            from reef.actions.effect_data import effect_params
            from reef.config import packaged_defaults

            def build(**one):
                return effect_params(None, _Section("effect", {**packaged_defaults("effect"), **one}), {})
    except ImportError:  # an extra is missing: the class checks the value itself when it is used
        return None
    try:
        build(**{key: value})
    except InvalidParameterError as exc:
        return exc.expected
    except TypeError:  # a key the class does not take
        return None
    return None

# Keys that may go below zero although their default does not (thresholds on a signed scale).
_SIGNED = re.compile(r"tone|score$|lean")
_UNIT_INTERVAL = re.compile(r"(?:_quantile|_share|_prob|alpha|damping|_drop|max_df|_epsilon|_error|_similarity|_density)$")
_AT_LEAST_ONE = {
    "general": ("as_of_max_days_past_data",),
    "layers": ("max_circles", "fallback_circles", "min_circle_size", "text_items_per_member", "text_chars", "min_df",
               "max_terms", "spread_iterations", "name_terms", "top_terms", "recent_days", "leaders_per_circle",
               "plaza_window_days", "plaza_min_threads", "newcomer_days", "plaza_keep", "plaza_topic_min_threads",
               "council_seats", "council_tenure_full_days", "council_keep"),
    "network": ("half_life_days", "betweenness_samples", "betweenness_max_work", "examples", "ic_min_replies", "mc_runs", "seed_k", "seed_max_k",
                "mc_max_members", "rr_eval_sets", "overasked_days", "burnout_days", "boost_top", "mentor_min_acts",
                "newcomer_days", "min_distinct_others", "broadcaster_min_posts"),
    "kb": ("gap_min_asked", "stale_days", "version_min_authors", "search_top", "search_query_title_weight", "semantic_dims",
           "semantic_min_df", "semantic_max_docs", "semantic_full_scan_max", "semantic_rerank_candidates",
           "crisis_window_hours", "crisis_baseline_days", "crisis_baseline_weeks", "crisis_new_author_days",
           "crisis_persistence", "crisis_buffer_days", "crisis_history_days", "crisis_topic_terms", "crisis_topic_min_terms",
           "crisis_surface_per_author", "crisis_recent_days"),
    "team": ("window_days", "writer_min_chars", "writer_ref_chars", "pool_size", "alternatives", "max_partners",
             "max_active_teams", "restarts", "max_moves", "form_deadline_days"),
    "risks": ("window_days", "baseline_weeks", "dedupe_days", "horizon_days", "reference_contributors", "circle_recent_days",
              "circle_min_periods", "circle_cusum_days", "circle_cusum_baseline_days", "novelty_bands", "novelty_band_rows",
              "novelty_min_posts", "novelty_evidence", "burnout_recent_days", "burnout_baseline_days", "hazard_horizon_days",
              "hazard_step_days", "hazard_cuts", "hazard_max_rows", "hazard_min_moments", "inactive_min_days", "inactive_max_days", "newcomer_days",
              "newcomer_min_posts", "drift_recent_days", "misinfo_window_days", "dilution_weeks", "dilution_cusum_days",
              "polarisation_min_edges", "conflict_early_replies", "response_hours", "webhook_timeout_seconds"),
}


def _choices(section: str, key: str) -> tuple[str, ...] | None:
    """The text values a key may take, for keys no parameter class reads before an analysis runs."""
    if section == "network" and key in ("seed_risk_action", "seed_recruited_action", "seed_risk_severity"):
        from reef.network.seed_checks import ACTIONS, SEVERITIES

        return SEVERITIES if key == "seed_risk_severity" else ACTIONS
    if (section, key) == ("risks", "webhook_platform"):
        from reef.risks.robots import PLATFORMS

        return PLATFORMS
    return None


def _kinds(section: str, key: str) -> tuple[str, ...] | None:
    """The vocabulary a list or table key draws from, or None when it is not a list of kinds."""
    if key in ("circle_edge_kinds", "trust_kinds", "cohesion_kinds"):
        from reef.network.graph import EDGE_KINDS

        return EDGE_KINDS
    if key in ("text_kinds", "plaza_kinds"):
        from reef.model.schema import CONTENT_KINDS

        return CONTENT_KINDS
    if key in ("plaza_exclude_intents", "plaza_exclude_reply_intents", "writer_intents"):
        from reef.text.intents import INTENTS

        return INTENTS
    if key == "council_dimensions":
        return ("car_model", "region", "circle", "tenure")
    if key == "team_action_kinds":
        from reef.model.schema import ACTION_KINDS

        return ACTION_KINDS
    return None


def check_value(section: str, key: str, default: Any, value: Any) -> str | None:
    """What ``section.key`` expects when ``value`` breaks its rule, else None (the type is checked already)."""
    if section in ("general", "store"):
        return _basic(section, key, value)
    if section in ("ladder", "simulate", "effect"):
        return _by_parameter_class(section, key, value)
    if section == "server":
        from reef.config_rules import server_rule

        return server_rule(key, value)
    if section not in CHECKED_SECTIONS:
        return None
    if section == "risks":
        from reef.config_rules import risks_rule

        expected = risks_rule(key, value)
        if expected is not None:
            return expected
    choices = _choices(section, key)
    if choices is not None:
        return None if value in choices else "one of " + ", ".join(choices)
    if isinstance(value, (list, dict)):
        if (section, key) in (("risks", "claim_qualifiers"), ("risks", "claim_tolerance")):
            from reef.text.claims import CLAIM_ATTRIBUTES

            unknown = sorted(str(n) for n in value if n not in CLAIM_ATTRIBUTES)
            return f"claim attributes among: {', '.join(CLAIM_ATTRIBUTES)} (unknown: {', '.join(unknown)})" if unknown else None
        vocabulary = _kinds(section, key)
        names = list(value)
        if vocabulary is not None:
            unknown = sorted(str(n) for n in names if n not in vocabulary)
            if unknown:
                return f"kinds among: {', '.join(sorted(vocabulary))} (unknown: {', '.join(unknown)})"
        if key == "boost_rings" and not all(isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in names):
            return "ring numbers of at least 1"
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if key in _AT_LEAST_ONE.get(section, ()):
        whole = isinstance(default, int)
        if value < 1 or (whole and not float(value).is_integer()):
            return f"{'a whole number' if whole else 'a number'} at least 1"
        return None
    if _UNIT_INTERVAL.search(key):
        return None if 0 <= value <= 1 else "a number from 0 to 1"
    if default >= 0 and value < 0 and not _SIGNED.search(key):
        return "a number of at least 0"
    return None


def check_config(config) -> None:
    """Build each section's parameter object from ``config`` once (``reef config show``), so a rule that ties keys
    together (the simulated history must leave room after 2000) fails too, naming the file and the dotted key; each
    key alone was checked when its file was merged."""
    from reef.errors import ConfigError, InvalidParameterError, Location

    def effect():
        from reef.actions.effect_data import effect_params

        effect_params(None, config, {})

    def ladder():
        from reef.ladder.params import LadderParams

        LadderParams.from_config(config)

    def simulate():
        from reef.simulate.spec import SimulationSpec

        SimulationSpec.from_config(config)

    for section, build in (("ladder", ladder), ("simulate", simulate), ("effect", effect)):
        try:
            build()
        except ImportError:
            continue
        except InvalidParameterError as exc:
            name = exc.name if exc.name.startswith(section + ".") else f"{section}.{exc.name}"
            origins = config.origins()
            source = origins.get(name) or next((f for k, f in origins.items() if k.startswith(section + ".")), "defaults.toml")
            from reef.errors import invalid_value_en
            from reef.errors_zh import invalid_value_zh

            raise ConfigError(invalid_value_en(name, exc.value, exc.expected),
                              where=Location(file=source, field=name),
                              message_zh=invalid_value_zh(name, exc.value, exc.expected)) from None

"""Value checks for configuration keys whose sections have no parameter object of their own to check them.

``[ladder]``, ``[effect]`` and ``[simulate]`` validate through their parameter classes. For ``[layers]``, ``[network]``,
``[kb]``, ``[team]`` and ``[risks]`` these rules run when a file or override is merged, so a bad value fails at
once, naming the key, instead of giving nonsense (a negative circle count) or a crash deep inside an analysis:
- numbers whose default is not negative stay at 0 or above (tone and score thresholds may be negative);
- shares, quantiles, probabilities and damping factors lie in [0, 1];
- counts, windows and sizes are whole numbers of at least 1;
- lists and weight tables of kinds name only kinds that exist.

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

__all__ = ["CHECKED_SECTIONS", "check_value"]

CHECKED_SECTIONS = ("layers", "network", "kb", "team", "risks")

# Keys that may go below zero although their default does not (thresholds on a signed scale).
_SIGNED = re.compile(r"tone|score$|lean")
_UNIT_INTERVAL = re.compile(r"(?:_quantile|_share|_prob|alpha|damping|_drop|max_df|_epsilon|_error)$")
_AT_LEAST_ONE = {
    "layers": ("max_circles", "fallback_circles", "min_circle_size", "text_items_per_member", "text_chars", "min_df",
               "max_terms", "spread_iterations", "name_terms", "top_terms", "recent_days", "leaders_per_circle",
               "plaza_window_days", "plaza_min_threads", "newcomer_days", "plaza_keep", "plaza_topic_min_threads",
               "council_seats", "council_tenure_full_days", "council_keep"),
    "network": ("half_life_days", "betweenness_samples", "betweenness_max_work", "examples", "ic_min_replies", "mc_runs",
                "mc_max_members", "rr_eval_sets", "overasked_days", "burnout_days", "boost_top", "mentor_min_acts",
                "newcomer_days", "min_distinct_others", "broadcaster_min_posts"),
    "kb": ("gap_min_asked", "stale_days", "version_min_authors", "search_top", "search_query_title_weight", "semantic_dims",
           "semantic_min_df", "semantic_max_docs", "semantic_full_scan_max", "semantic_rerank_candidates",
           "crisis_window_hours", "crisis_baseline_days", "crisis_baseline_weeks", "crisis_new_author_days",
           "crisis_persistence", "crisis_buffer_days"),
    "team": ("window_days", "writer_min_chars", "writer_ref_chars", "pool_size", "alternatives", "max_partners",
             "max_active_teams", "restarts", "max_moves"),
    "risks": ("window_days", "baseline_weeks", "dedupe_days", "horizon_days", "reference_contributors", "circle_recent_days",
              "circle_min_periods", "circle_cusum_days", "circle_cusum_baseline_days", "novelty_bands", "novelty_band_rows",
              "novelty_min_posts", "novelty_evidence", "burnout_recent_days", "burnout_baseline_days", "hazard_horizon_days",
              "hazard_step_days", "hazard_cuts", "hazard_max_rows", "inactive_min_days", "inactive_max_days", "newcomer_days",
              "newcomer_min_posts", "drift_recent_days", "misinfo_window_days", "dilution_weeks", "dilution_cusum_days",
              "polarisation_min_edges", "conflict_early_replies", "response_hours", "webhook_timeout_seconds"),
}


def _choices(section: str, key: str) -> tuple[str, ...] | None:
    """The text values a key may take, for keys no parameter class reads before an analysis runs."""
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
    if section not in CHECKED_SECTIONS:
        return None
    choices = _choices(section, key)
    if choices is not None:
        return None if value in choices else "one of " + ", ".join(choices)
    if isinstance(value, (list, dict)):
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

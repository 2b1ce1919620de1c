"""The network reads: ``reef connectors``, ``ripple``, ``seed-plan`` and ``helpers`` (and the ``Community`` methods
of the same names)."""
from __future__ import annotations

from typing import Any, Iterable

from reef.reads import Read, prepare

__all__ = ["connectors", "ripple", "seed_plan", "helpers", "member_ids"]


def member_ids(value: str | Iterable[str] | None) -> list[str]:
    """Member ids from a list or a comma-separated text ("m1, m2" or "m1，m2")."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [str(v).strip() for v in value if str(v).strip()]
    return [s.strip() for s in value.replace("，", ",").split(",") if s.strip()]


def connectors(store, *, role: str = "connector", top: int = 20, as_of: Any = None, lang: str | None = None) -> Read:
    """Key connectors with every score's parts and examples (:func:`reef.network.connectors.connector_list`)."""
    from reef.network.connectors import connector_list

    moment, code, note = prepare(store, as_of, ["network_connectors"], lang, counts={"top": top})
    return Read(connector_list(store, role=role, top=top), note, moment, code)


def ripple(store, *, campaign: str | None = None, topic: str | None = None, seeds: Any = None, since: Any = None,
           as_of: Any = None, lang: str | None = None) -> Read:
    """Ring-by-ring adoption of a seeded topic and the boost list (:func:`reef.network.campaign.ripple`)."""
    from reef.network.campaign import ripple as run_ripple
    from reef.store.asof import as_of_timestamp

    moment, code, note = prepare(store, as_of, ["network_graph"], lang)
    start = as_of_timestamp(since, store.config.get("general.timezone"), name="since")
    result = run_ripple(store, moment, store.config, campaign=campaign, topic=topic, seeds=member_ids(seeds) or None, since=start)
    result.pop("table", None)  # the adopters' frame: the rings and boost list hold what is shown
    return Read(result, note, moment, code)


def seed_plan(store, *, k: int | None = None, topic: str | None = None, circle: str | None = None, exclude: Any = None,
              runs: int | None = None, seed: int | None = None, as_of: Any = None, lang: str | None = None) -> Read:
    """k seed members by IMM, expected reach against baselines: the dashboard's plan
    (:func:`reef.network.seedplan.run_seed_request`: each seed's fit and flags, the members left out with why), so
    ``reef seed-plan`` shows it through the page's :func:`reef.network.seedplan.seed_plan_view`."""
    from reef.network.seedplan import run_seed_request

    moment, code, note = prepare(store, as_of, ["network_graph"], lang, counts={"k": k, "runs": runs, "seed": seed})
    request = {"k": k, "topic": topic, "circle": circle, "exclude": member_ids(exclude), "as_of": moment.isoformat()}
    result = run_seed_request(store, request, runs=runs, seed=seed)
    result.pop("as_of", None)  # Read words it in the store's zone
    return Read(result, note, moment, code)


def helpers(store, *, member: str | None = None, top: int = 20, as_of: Any = None, lang: str | None = None) -> Read:
    """The mutual-help summary and leaderboard, or with ``member`` that member's help acts (:mod:`reef.network.helpers`)."""
    from reef.network.helpers import help_leaders, help_summary, member_help_acts

    moment, code, note = prepare(store, as_of, ["network_helpers"], lang, counts={"top": top})
    if member:
        return Read({"member_id": member, "acts": member_help_acts(store, member, top=top)}, note, moment, code)
    return Read({"summary": help_summary(store, moment), "leaders": help_leaders(store, top=top)}, note, moment, code)

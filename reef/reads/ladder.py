"""The emergence-ladder reads: ``reef ladder``, ``member``, ``funnel``, ``recognise``, ``contest`` and ``campaigns``
(and ``Community.ladder`` ... ``Community.campaigns``), each with the ``ladder`` analysis up to date at ``as_of``
(``campaigns`` reads the canonical tables only)."""
from __future__ import annotations

from typing import Any

from reef.reads import Read, prepare

__all__ = ["ladder", "member", "funnel", "recognise", "contest", "campaigns"]


def _ladder(store, as_of: Any, lang: str | None, **counts: Any):
    from reef.ladder.params import LadderParams
    from reef.reads import language

    language(lang, store.config)  # a bad language fails before any work ...
    LadderParams.from_config(store.config)  # ... and so does a bad [ladder] setting, naming the key
    return prepare(store, as_of, ["ladder"], lang, counts=counts)  # top, days: checked before the stored-run lookup


def ladder(store, *, stage: int | None = None, top: int = 20, as_of: Any = None, lang: str | None = None) -> Read:
    """Members by rank (stage, then potential) with momentum and evidence (:func:`reef.ladder.ladder_list`)."""
    from reef.ladder import ladder_list
    from reef.params import check_range

    check_range("stage", stage, 0, 4)  # before any work: stage 9 would list nobody, in silence
    moment, code, note = _ladder(store, as_of, lang, top=top)
    return Read(ladder_list(store, stage=stage, top=top), note, moment, code)


def member(store, member_id: str, *, as_of: Any = None, lang: str | None = None) -> Read:
    """One member's stage, evidence and timeline of stage changes (:func:`reef.ladder.queries.member_timeline`)."""
    from reef.ladder.queries import member_timeline

    moment, code, note = _ladder(store, as_of, lang)
    return Read(member_timeline(store, member_id), note, moment, code)


def funnel(store, *, as_of: Any = None, lang: str | None = None) -> Read:
    """Counts per stage, cohort conversion, median days to each stage, stuck members (:func:`reef.ladder.ladder_funnel`)."""
    from reef.ladder import ladder_funnel

    moment, code, note = _ladder(store, as_of, lang)
    return Read(ladder_funnel(store), note, moment, code)


def recognise(store, *, top: int = 20, days: int | None = None, since: Any = None, as_of: Any = None,
              lang: str | None = None) -> Read:
    """Recognise-now alerts: those of the last ``ladder.alert_hours`` (``is_new``) and the backlog's unrecognised
    ones, or every alert of the last ``days`` / ``since`` a date; the unrecognised first, each with ``recognised_at``
    and ``recognised_status`` (recognise actions up to ``as_of``: :func:`reef.ladder.ladder_alerts`)."""
    from reef.ladder import ladder_alerts

    moment, code, note = _ladder(store, as_of, lang, top=top, days=days)
    return Read(ladder_alerts(store, top=top, days=days, since=since), note, moment, code)


def contest(store, campaign: str, *, top: int = 20, as_of: Any = None, lang: str | None = None) -> Read:
    """A themed content call judged fairly (:func:`reef.ladder.contest_scores`, at the ladder's as_of)."""
    from reef.ladder import contest_scores
    from reef.ladder.queries import ladder_as_of

    moment, code, note = _ladder(store, as_of, lang, top=top)
    return Read(contest_scores(store, campaign, as_of=ladder_as_of(store), top=top), note, moment, code)


def campaigns(store, *, as_of: Any = None, lang: str | None = None) -> Read:
    """Every campaign with its name, topic, dates and the entries ``contest`` judges at ``as_of``, newest first, so an
    operator finds the id to judge (:func:`reef.ladder.contest_view.contest_campaigns`); runs no analysis."""
    from reef.analyses.runner import resolve_as_of
    from reef.ladder.contest_view import contest_campaigns
    from reef.reads import language, local
    from reef.store.coverage import coverage_warning

    code = language(lang, store.config)
    moment = resolve_as_of(store, as_of)
    return Read(contest_campaigns(store, as_of=moment), coverage_warning(store, moment, store.config, code),
                local(store, moment), code)

"""Read the radar and the alerts from the result tables (after the ``risks`` analysis ran).

Example:
    >>> from reef.store import open_store
    >>> risk_radar(open_store(":memory:"))["families"]
    []
"""
from __future__ import annotations

from reef.i18n import check_lang
from reef.params import check_choice, check_positive

__all__ = ["risk_radar", "risk_alerts"]


def risk_radar(store, lang: str = "zh", evidence: int = 5) -> dict:
    """The four scores with their parts and the top ``evidence`` rows of each family."""
    en = check_lang((lang or "zh").lower()) == "en"
    check_positive("evidence", evidence, minimum=0)
    if not store.table_exists("risk_scores"):
        return {"as_of": None, "families": []}
    fams = store.fetch_dicts("SELECT * FROM risk_scores")
    for f in fams:
        f["name"] = f["name_en" if en else "name_zh"]
        f["summary"] = f["summary_en" if en else "summary_zh"]
        f["parts"] = store.fetch_dicts(f"SELECT part, value, score, baseline, {'note_en' if en else 'note_zh'} AS note FROM risk_parts WHERE family = $f", {"f": f["family"]})
        f["evidence"] = store.fetch_dicts(f"""SELECT part, subject, member_id, content_id, value, {'detail_en' if en else 'detail_zh'} AS detail
            FROM risk_evidence WHERE family = $f ORDER BY coalesce(rank, 1e9), value DESC NULLS LAST LIMIT $n""", {"f": f["family"], "n": evidence})
    return {"as_of": fams[0]["as_of"] if fams else None, "families": fams}


def risk_alerts(store, lang: str = "zh", only_new: bool = False, min_severity: str = "medium", top: int = 100) -> list[dict]:
    """Current alerts, most severe first; ``only_new`` keeps those not raised in the dedupe window."""
    en = check_lang((lang or "zh").lower()) == "en"
    check_choice("min_severity", min_severity, ("medium", "high"))
    check_positive("top", top)
    if not store.table_exists("risk_alerts"):
        return []
    sev = ["high"] if min_severity == "high" else ["high", "medium"]
    return store.fetch_dicts(f"""SELECT alert_key, family, part, severity, score, subject, member_id, content_id,
            {'message_en' if en else 'message_zh'} AS message, first_seen, is_new, as_of FROM risk_alerts
        WHERE list_contains($sev, severity) AND (is_new OR NOT $only_new) ORDER BY severity = 'high' DESC, score DESC LIMIT $n""",
        {"sev": sev, "only_new": only_new, "n": top})

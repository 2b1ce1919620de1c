"""The model-year / OTA chronicle: what owners reported about each OTA version and each model year,
in the order they arrived (:mod:`reef.kb.versions`), and how it differed from the one before.

For every OTA version and model year that ``[kb] version_min_authors`` members mention: when it
arrived and for how long it was discussed, the posts and members, the aspects discussed with their
sentiment (posts positive / negative on the aspect), the numbers owners reported (spec claims of the
text layer: median per attribute, and the change against the previous version or year), and the
most-engaged post as a quote (PII masked). A month-by-month table opens the chronicle.

Example:
    >>> from reef.store import open_store
    >>> chronicle(open_store(":memory:"), None, None).sections[0].title
    '还没有可编入的版本讨论'
"""
from __future__ import annotations

from reef.actions.privacy import mask_text
from reef.i18n import code_label, plural
from reef.kb.document import Document, Entry, Section
from reef.kb.params import KbParams
from reef.kb.versions import _MENTIONS_SQL, version_key
from reef.text.claims import ATTRIBUTE_NAMES
from reef.lazy import lazy_module

pd = lazy_module("pandas")

__all__ = ["chronicle", "chronicle_frames"]



def chronicle_frames(store, as_of, config) -> dict[str, pd.DataFrame]:
    """Posts mentioning a version or year (one row per post, kind and value) with their aspects'
    sentiment, claims and engagement; and the values that arrived."""
    p = KbParams.from_config(config)
    posts = store.fetch_arrow(f"""
        WITH m AS ({_MENTIONS_SQL}),
        pm AS (SELECT DISTINCT content_id, author_id, created_at, kind, value FROM m),
        eng AS (SELECT target_content_id AS content_id, count(*) AS n FROM interactions_at($ts) GROUP BY 1)
        SELECT pm.*, f.sentiment, f.aspects, f.claims, coalesce(eng.n, 0) AS engagement, c.title, c.body
        FROM pm JOIN content_at($ts) c USING (content_id) LEFT JOIN content_features f USING (content_id)
        LEFT JOIN eng USING (content_id)""", {"ts": as_of}).to_pandas()
    authors = posts.groupby(["kind", "value"])["author_id"].nunique()
    keep = authors[authors >= p.version_min_authors].index
    posts = posts.set_index(["kind", "value"]).loc[lambda d: d.index.isin(keep)].reset_index()
    return {"posts": posts}


def _aspects(g: pd.DataFrame, top: int = 4, lang: str = "zh") -> str:
    rows = []
    for asp, sent in ((a["aspect"], a["sentiment"]) for lst in g["aspects"] if lst is not None for a in lst):
        rows.append((asp, sent))
    if not rows:
        return ""
    df = pd.DataFrame(rows, columns=["aspect", "sentiment"])
    agg = df.groupby("aspect")["sentiment"].agg(n="size", pos=lambda s: int((s > 0).sum()), neg=lambda s: int((s < 0).sum()))
    agg = agg.sort_values(["n", "neg"], ascending=False).head(top)
    if lang == "en":
        return ", ".join(f"{code_label(a, lang)} ({plural(r.n, 'post')}, 👍{r.pos} 👎{r.neg})" for a, r in agg.iterrows())
    return "、".join(f"{a}（{r.n}帖，👍{r.pos} 👎{r.neg}）" for a, r in agg.iterrows())


def _claims(g: pd.DataFrame) -> dict[str, tuple[float, str, int]]:
    rows = [(c["attribute"], c["value"], c["unit"]) for lst in g["claims"] if lst is not None for c in lst if c["value"] is not None]
    if not rows:
        return {}
    df = pd.DataFrame(rows, columns=["attribute", "value", "unit"])
    return {a: (float(x["value"].median()), str(x["unit"].iloc[0] or ""), len(x)) for a, x in df.groupby("attribute") if len(x) >= 2}


def _most_discussed(values: pd.Series, zh: bool) -> str:
    """The value named most often with its count; a tie names every tied value, oldest version first."""
    counts = values.value_counts()
    if counts.empty:
        return "—"
    n = int(counts.max())
    return ("、" if zh else ", ").join(sorted(counts[counts == n].index, key=lambda v: (version_key(v), v))) + (f"（{n}）" if zh else f" ({n})")


def chronicle(store, as_of, config, *, lang: str = "zh", quote_chars: int = 160) -> Document:
    """The chronicle as a :class:`reef.kb.document.Document` (needs ``content_features``)."""
    zh = lang != "en"
    doc = Document("车型年款与OTA编年史" if zh else "Model-year and OTA chronicle", "", [], "zh" if zh else "en")
    if not store.table_exists("content_features"):
        doc.sections.append(Section("还没有可编入的版本讨论" if zh else "No version discussions yet"))
        return doc
    posts = chronicle_frames(store, as_of, config)["posts"]
    if posts.empty:
        doc.sections.append(Section("还没有可编入的版本讨论" if zh else "No version discussions yet"))
        return doc
    posts["month"] = pd.to_datetime(posts["created_at"]).dt.strftime("%Y-%m")
    table = [["月份" if zh else "month", "讨论最多的OTA" if zh else "most discussed OTA", "讨论最多的年款" if zh else "most discussed model year",
              "帖子" if zh else "posts", "负面占比" if zh else "negative share"]]
    for month, g in posts.groupby("month"):
        label = {k: _most_discussed(g[g["kind"] == k]["value"], zh) for k in ("ota", "model_year")}
        table.append([month, label["ota"], label["model_year"], str(g["content_id"].nunique()),
                      f"{(g.drop_duplicates('content_id')['sentiment'] < 0).mean():.0%}"])
    doc.sections.append(Section("时间线" if zh else "Timeline", "每月车主讨论的版本与年款。" if zh else
                                "Versions and model years owners discussed each month.", [Entry("", "", "", table)]))
    for kind, title in (("ota", "OTA版本" if zh else "OTA versions"), ("model_year", "年款" if zh else "Model years")):
        sub = posts[posts["kind"] == kind]
        if sub.empty:
            continue
        firsts = sub.groupby("value")["created_at"].min()
        order = sorted(firsts.index, key=(lambda v: (firsts[v], version_key(v))) if kind == "ota" else version_key)
        sec, prev = Section(title), {}
        for value in order:
            g = sub[sub["value"] == value]
            label = f"OTA {value}" if kind == "ota" else (f"{value}款" if zh else f"model year {value}")
            claims = _claims(g)
            diff = []
            for attr, (med, unit, n) in sorted(claims.items(), key=lambda kv: -kv[1][2])[:4]:
                # the attribute in words in both languages (charging time, not the key charging_time)
                name = ATTRIBUTE_NAMES.get(attr, (attr, attr))[0 if zh else 1]
                change = f"，较上一版{med - prev[attr][0]:+.1f}" if zh and attr in prev else (
                    f", {med - prev[attr][0]:+.1f} vs previous" if attr in prev else "")
                diff.append(f"{name} {med:g}{unit}（{n}条{change}）" if zh else f"{name} {med:g} {unit} ({plural(n, 'report')}{change})")
            prev.update(claims)
            best = g.sort_values(["engagement", "created_at"], ascending=[False, True]).iloc[0]
            span = f"{str(g['created_at'].min())[:10]} – {str(g['created_at'].max())[:10]}"
            body = ((f"讨论期 {span}，{g['content_id'].nunique()}帖、{g['author_id'].nunique()}位车友；"
                     f"负面帖占{(g['sentiment'] < 0).mean():.0%}。\n涉及方面：{_aspects(g) or '—'}\n车主报告的数字：{'；'.join(diff) or '—'}")
                    if zh else
                    (f"Discussed {span}: {plural(g['content_id'].nunique(), 'post')} by {plural(g['author_id'].nunique(), 'member')}; "
                     f"{(g['sentiment'] < 0).mean():.0%} negative.\nAspects: {_aspects(g, lang='en') or '—'}\nNumbers owners reported: {'; '.join(diff) or '—'}"))
            quote = mask_text(" ".join(str(best["body"] or best["title"] or "").split()))[:quote_chars]
            sec.entries.append(Entry(label, body, ("代表帖：" if zh else "Quote: ") + quote))
        doc.sections.append(sec)
    doc.subtitle = (f"根据{posts['content_id'].nunique()}条提到OTA版本或年款的车主帖子自动编撰，截至{str(as_of)[:10]}；个人信息已打码。" if zh else
                    f"Compiled from {plural(posts['content_id'].nunique(), 'owner post')} mentioning an OTA version or model year, as of "
                    f"{str(as_of)[:10]}. Personal data is masked.")
    return doc

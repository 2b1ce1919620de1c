"""`reef text eval` prints nested figures (an intent reader's micro figures, per-intent tables, the labellers' kappa)
as named figures and tables in --lang, never as Python dicts; --json keeps the library's nested shape."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.cli import app

FIGURES = {
    "intents_real_300": {
        "texts": 300, "micro": {"precision": 0.4946, "recall": 0.2026, "f1": 0.2875, "gold": 227, "predicted": 93},
        "per_intent": {"question": {"precision": 0.4182, "recall": 0.7667, "f1": 0.5412, "gold": 30, "predicted": 55},
                       "personal_attack": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "gold": 1, "predicted": 2}},
        "source_weibo": {"texts": 150, "precision": 0.3421, "recall": 0.2321},
        "labeller_agreement": {"texts": 300, "identical_label_sets": 0.8867, "kappa": {"question": 0.924, "praise": 0.395}},
    },
    "intents_simulator": {"seed": 2614, "cues": {"precision": 0.6455, "recall": 0.4013, "gold": 785}},
    "model_version": "reef-text-1", "written_to": "/tmp/q.md",
}
wide = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def _figures(monkeypatch):
    import reef.text.evaluate as evaluate

    monkeypatch.setattr(evaluate, "write_quality", lambda out=None, **kw: json.loads(json.dumps(FIGURES)))


def _run(*extra: str):
    result = wide.invoke(app, ["text", "eval", *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nested_figures_are_lines_and_tables_not_dicts(lang):
    text = _run("--lang", lang)
    assert "{" not in text and "}" not in text and "'precision'" not in text
    if lang == "zh":
        assert "精确率 0.4946，召回率 0.2026，F1 0.2875，标注数 227，预测数 93" in text  # micro: one line
        assert "intents_real_300 · 各意图" in text and "提问" in text and "人身攻击" in text  # per intent: a table
        assert "两位标注者的一致性 · Cohen's kappa" in text and "0.924" in text and "称赞他人" in text
        assert "精确率 0.6455，召回率 0.4013，标注数 785" in text and "Precision" not in text
    else:
        assert "Precision 0.4946, Recall 0.2026, F1 0.2875, Gold 227, Predicted 93" in text
        assert "intents_real_300 · Per intent" in text and "personal attack" in text and "Intent" in text
        assert "Labeller agreement · Cohen's kappa" in text and "Identical label sets 0.8867" in text
        assert "精确率" not in text


def test_json_keeps_the_nested_shape():
    zh, en = (json.loads(_run("--json", *extra)) for extra in ((), ("--lang", "en")))
    assert zh == en == FIGURES

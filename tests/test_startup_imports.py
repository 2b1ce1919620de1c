"""Start-up: importing the command line and discovering every analysis imports none of the heavy optional packages
(scipy, scikit-learn, pandas); analysis modules bind them with :func:`reef.lazy.lazy_module` and import them when a
function that needs them runs. Behaviour, not timing: figures are in docs/surfaces.md (*Start-up time*)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "sklearn", "pandas")
_PROBE = (
    "import json, sys; import reef.cli; from reef.analyses.registry import discover, discovery_problems; "
    "names = sorted(discover()); "
    f"print(json.dumps({{'heavy': sorted(m for m in {HEAVY!r} if m in sys.modules), 'analyses': names, "
    "'problems': discovery_problems()}))"
)


def _probe() -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cli_import_and_discovery_load_no_heavy_package():
    found = _probe()
    assert found["heavy"] == []
    # still every capability: the risk radar, the knowledge reef and the layers register as before
    assert {"store_overview", "text_features", "ladder", "network_helpers", "kb_qa", "kb_crisis", "risks",
            "layers_groups"} <= set(found["analyses"])
    assert found["problems"] == {}


def test_the_heavy_package_is_imported_when_used():
    from reef.risks.common import poisson_high_surprise

    assert poisson_high_surprise(9, 1.0) > poisson_high_surprise(2, 1.0) > 0  # scipy.stats behind the stand-in
    assert "scipy.stats" in sys.modules


def test_a_missing_package_still_fails_at_import(monkeypatch):
    """Discovery reports a capability whose extra is missing as skipped: the stand-in refuses a package that is not
    installed at once, as the plain import did."""
    from reef.lazy import lazy_module

    monkeypatch.setitem(sys.modules, "scipy", None)  # as if uninstalled
    with pytest.raises(ModuleNotFoundError) as exc:
        lazy_module("scipy.stats")
    assert exc.value.name == "scipy"
    with pytest.raises(ModuleNotFoundError):
        lazy_module("surely_no_such_package_here")

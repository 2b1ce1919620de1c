"""Load the shared surface fixtures (tests/server/surface_fixtures.py) under a unique module name."""
import importlib.util
import sys
from pathlib import Path

if "surface_fixtures" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("surface_fixtures", Path(__file__).parents[1] / "server" / "surface_fixtures.py")
    sys.modules["surface_fixtures"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["surface_fixtures"])
_mod = sys.modules["surface_fixtures"]
store_template, db_path, app, client = _mod.store_template, _mod.db_path, _mod.app, _mod.client

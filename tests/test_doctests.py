"""The examples in the docstrings of the core modules run and hold (kb and layers have their own such tests; the
Python API's, which need a community, run in tests/test_api_docstrings.py)."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["reef.analyses", "reef.api_frames", "reef.api_args", "reef.api_run", "reef.timetext", "reef.params", "reef.config", "reef.config_checks", "reef.errors", "reef.errors_hints", "reef.store.asof",
           "reef.store.connection", "reef.store.files", "reef.store.settings_sql", "reef.store.migrations", "reef.store.coverage", "reef.cli._common", "reef.cli._json",
           "reef.cli._coverage", "reef.web.idlinks", "reef.actions.cutoff", "reef.server.page_forms", "reef.ladder.recognised",
           "reef.analyses.runner", "reef.lazy", "reef.analyses.overview_readers", "reef.report.status",
           "reef.cli._usage", "reef.report.risk_download", "reef.server.headers", "reef.config_rules", "reef.errors_zh",
           "reef.server.tasks", "reef.server.job_views", "reef.text.record_lines", "reef.actions.member_view",
           "reef.ingest.delimiter", "reef.ingest.xlsx", "reef.params", "reef.server.openapi_doc", "reef.server.openapi_params"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

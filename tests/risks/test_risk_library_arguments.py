"""The risk functions docs/risks.md shows, called from a notebook with a bad argument: an error in Reef's tree
naming what is wrong, not ``FileExistsError: [Errno 17]`` or a radar of negative counts."""
from __future__ import annotations

import pytest

from reef.errors import InvalidParameterError, OutputPathError
from reef.store import close_all, open_store


def test_a_weekly_report_under_a_file_is_an_output_path_error(db_path, tmp_path):
    from reef.risks.weekly import write_weekly_report

    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    store = open_store(db_path)
    with pytest.raises(OutputPathError, match="taken"):
        write_weekly_report(store, tmp_path / "taken" / "weekly.html")
    assert write_weekly_report(store, tmp_path / "ok" / "weekly.html").exists()
    close_all()


@pytest.mark.parametrize("window", [0, -1, 1.5])
def test_heat_metrics_refuses_a_window_that_is_no_positive_number_of_days(db_path, window):
    from reef.risks.metrics import heat_metrics

    store = open_store(db_path)
    with pytest.raises(InvalidParameterError, match="'window_days'"):
        heat_metrics(store, None, window, store.config)
    assert heat_metrics(store, None, 30, store.config)["window_days"] == 30
    close_all()

"""The Python API says what stands in the way of an output path as the CLI does (reef.output_paths.output_error):
``report(out_dir=)``, ``guide(out=)`` and ``risks(report=)`` under a file raise the OutputPathError naming that file,
not the raw ``FileExistsError`` / ``NotADirectoryError``."""
from __future__ import annotations

import pytest

import reef
from reef.errors import OutputPathError


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from tests.conftest import simulated_store_file

    return simulated_store_file(tmp_path_factory.mktemp("outputs"), members=60, days=30, seed=5,
                                analyses=["risks", "kb_qa", "kb_essence"])


@pytest.mark.parametrize("call", [
    lambda c, p: c.report(out_dir=p / "report"),
    lambda c, p: c.guide(out=p / "guides"),
    lambda c, p: c.risks(report=p / "risk.html"),
])
def test_an_output_under_a_file_is_the_clis_output_path_error(db, tmp_path, call):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with reef.open(db) as community:
        with pytest.raises(OutputPathError) as got:
            call(community, blocker)
    error = got.value
    assert error.message.startswith("A file stands where a folder is needed.") and error.where.file == str(blocker)
    assert error.hint == "Move or rename that file, or choose another output path."
    assert error.text("zh").startswith(f"{blocker}：这里需要一个文件夹，却是一个文件。")

"""Every error the store raises says itself in Chinese too (``message_zh``): the CLI's error line is Chinese by
default, and a store error without its Chinese words was shown in English after ``错误：`` (the "already open" errors
of ``open_store``, the refused store paths, the read-only write, a setting spliced into SQL)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reef.errors as errors
from reef.errors import ConfigError, InvalidParameterError, MissingDependencyError, ReefError, StoreError
from reef.store import close_all, open_store

STORE = Path(__file__).resolve().parents[2] / "reef" / "store"
# These build their Chinese words themselves (the invalid-value template; the extra to install names a package).
SELF_WORDED = {n for n in errors.__all__ if isinstance(getattr(errors, n), type)
               and issubclass(getattr(errors, n), (InvalidParameterError, MissingDependencyError))}


def _constructions():
    """(file, line, class) of every call of a ReefError class in reef/store, and whether it passes message_zh."""
    classes = {n for n in errors.__all__ if isinstance(getattr(errors, n), type) and issubclass(getattr(errors, n), ReefError)}
    for path in sorted(STORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in classes and name not in SELF_WORDED:
                    yield path.name, node.lineno, name, any(k.arg == "message_zh" for k in node.keywords)


def test_every_error_raised_in_the_store_has_chinese_words():
    found = list(_constructions())
    assert len(found) >= 8, found  # the scan sees the store's errors (open, lock, read-only, files, migrations, codes)
    missing = [f"{file}:{line} {cls}" for file, line, cls, has_zh in found if not has_zh]
    assert not missing, f"errors raised without message_zh: {missing}"


@pytest.mark.parametrize("first, second, mode", [(False, True, "可写"), (True, False, "只读")])
def test_already_open_in_another_mode_says_so_in_chinese(tmp_path, first, second, mode):
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    close_all()
    open_store(path, read_only=first)
    with pytest.raises(StoreError) as err:
        open_store(path, read_only=second)
    said = err.value.text("zh")
    assert said.startswith(f"存储文件 {path} 已在本进程中以{mode}方式打开。请使用那个连接"), said
    assert "reef.store.close_all()" in said and "process" not in said
    assert err.value.text("en").startswith(f"The store {path} is already open")  # the English is unchanged


def test_already_open_with_another_configuration_says_so_in_chinese(tmp_path):
    path = tmp_path / "s.duckdb"
    store = open_store(path)
    with pytest.raises(StoreError) as err:
        open_store(path, config=store.config.with_overrides({"ladder.alert_hours": 3}))
    assert err.value.text("zh").startswith(f"存储文件 {path} 已在本进程中以另一套配置打开。请使用相同的配置"), err.value.text("zh")


def test_refused_store_paths_and_read_only_writes_are_said_in_chinese(tmp_path):
    (tmp_path / "m.jsonl").write_text('{"member_id": "m1"}\n', encoding="utf-8")
    with pytest.raises(StoreError) as err:
        open_store(tmp_path / "m.jsonl")
    assert err.value.text("zh").startswith(f"不是 DuckDB 数据库：{tmp_path / 'm.jsonl'}（看起来是 JSON 或 JSONL）。存储路径指"), err.value.text("zh")
    assert err.value.cli_hint_zh.startswith("--db（REEF_DB）指 Reef 保存数据的存储文件")
    with pytest.raises(StoreError) as err:
        open_store(tmp_path / "missing.duckdb", read_only=True)
    assert err.value.text("zh").startswith("存储文件不存在。请先创建存储") and "`reef simulate --db" in err.value.cli_hint_zh
    open_store(tmp_path / "s.duckdb").close()
    close_all()
    store = open_store(tmp_path / "s.duckdb", read_only=True)
    with pytest.raises(StoreError) as err, store.transaction():
        pass
    assert err.value.text("zh") == f"存储文件 {tmp_path / 's.duckdb'} 以只读方式打开。要写入，请不带 read_only 打开它。"


def test_a_bad_setting_spliced_into_sql_is_said_in_both_languages():
    from reef.store.settings_sql import safe_zone

    with pytest.raises(ConfigError) as err:
        safe_zone("Mars/Olympus")
    assert err.value.message == "Invalid value for 'general.timezone': 'Mars/Olympus'. Expected an IANA time zone name such as Asia/Shanghai."
    assert err.value.text("zh") == "字段 general.timezone：'general.timezone' 的值无效：'Mars/Olympus'。应为IANA 时区名称，如 Asia/Shanghai。"

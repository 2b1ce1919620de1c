"""reef.kb.asking reads the text layer's question cue through a public name, not a private one of another module."""
from __future__ import annotations

import ast
from pathlib import Path

import reef.kb.asking as asking


def test_asking_imports_no_private_name():
    tree = ast.parse(Path(asking.__file__).read_text(encoding="utf-8"))
    private = [(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               for alias in node.names if alias.name.startswith("_")]
    assert private == []


def test_a_cue_outside_the_prompt_still_asks():
    assert asking.asks("请问大家怎么看")  # 请问 is a question cue of its own
    assert not asking.asks("开了22个月，电耗很扎实。大家怎么看？")
    assert asking.asks("")  # no cue at all: kept

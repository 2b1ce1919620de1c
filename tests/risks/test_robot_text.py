"""reef.risks.robots kept under the project's 300-line module rule by moving the text neutralising and mail masking
to reef.risks.robot_text (no behaviour change: robots re-exports neutralise and formats messages as before)."""
from __future__ import annotations

from pathlib import Path

import reef.risks.robot_text as robot_text
import reef.risks.robots as robots


def test_robots_module_is_within_300_lines_and_reexports_neutralise():
    for module in (robots, robot_text):
        assert len(Path(module.__file__).read_text(encoding="utf-8").splitlines()) <= 300, module.__name__
    assert robots.neutralise is robot_text.neutralise
    msg = robots.format_message({"severity": "high", "family": "backlash", "message": "看 www.evil.com 找 a.b@qq.com",
                                 "member_id": "m1"}, "wecom")
    assert "www［.］evil［.］com" in msg["markdown"]["content"] and "a**@qq.com" in msg["markdown"]["content"]

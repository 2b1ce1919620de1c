"""Does a thread the text layer reads as a question ask for an answer? The knowledge reef's question selection.

The text layer's ``question`` intent fires on any question cue (a question mark, 吗 at the end, 请问 ...). Two
kinds of post carry such a cue without asking anything an answer could settle, and on the demo community they
were one question in eight of ``kb_questions`` (230 of 1,913), filling the gaps list:

* an experience share ending in an **opinion prompt**: "开了22个月，电耗很扎实……大家怎么看？";
* a **roll call**: "打卡 / 有人吗", "还有人在玩充电与续航吗".

:func:`asks` drops a thread whose every question cue lies inside such a prompt or roll call: the text with them
taken out must still carry a question cue. A thread with no cue at all (the learned intent reader can read a
question without one) is kept: nothing here speaks against it. The intent itself is left alone: the ladder,
the network and the plaza read 大家怎么看 as the member asking, which it is; only the knowledge reef needs the
question to want an answer.

Example:
    >>> asks("澜途L9高速电耗长测\\n开了22个月，电耗很扎实。大家怎么看？")
    False
    >>> asks("打卡\\n还有人在玩充电与续航吗")
    False
    >>> asks("想买澜途S7，落地价23万贵不贵？大家怎么看？")
    True
    >>> asks("冬天续航掉多少")  # no cue: the intent reader's call stands
    True
"""
from __future__ import annotations

import re

# the text layer's own question cue, read through its public reader (not copied, and not a new name in
# reef/text/intents.py: editing that file changes the text features' digest and re-enriches every store)
from reef.text.intents import detect_intents

__all__ = ["asks", "PROMPT_PATTERN"]

# An opinion prompt closing a post, or a roll call; read on the text layer's normalised simplified text.
PROMPT_PATTERN = (r"(?:大家|你们|各位|车友们?|朋友们?|家人们|兄弟们)(?:都|又)?(?:怎么看|咋看|如何看|怎么说|有同感吗|同意吗)[?？!！。.…~～]*"
                  r"|还?有人(?:在玩?[^，,。！!？?\n]{0,12})?吗[?？!！。.…~～]*|打卡")
_PROMPT = re.compile(PROMPT_PATTERN)


def asks(text: str | None) -> bool:
    """False when every question cue of ``text`` is an opinion prompt or a roll call, else True."""
    t = text or ""
    if not _PROMPT.search(t):
        return True
    return not _has_question_cue(t) or _has_question_cue(_PROMPT.sub("\n", t))


def _has_question_cue(text: str) -> bool:
    # detect_intents' question label is exactly a search of its question cue (no toxicity, no negation rule)
    return "question" in detect_intents(text)

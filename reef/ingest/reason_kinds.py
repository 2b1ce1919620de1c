"""The kinds of quarantine reason: each one's code, the pattern that recognises its stored English reason, its name
and Chinese forms (:data:`REASON_KINDS`), and what the operator does about it (:data:`TODO`, :data:`REFERRED`).

Plain tables; :mod:`reef.ingest.reasons` reads them (``reason_code``, ``reason_text`` ...). Order matters in
:data:`REASON_KINDS`: the first kind whose ``start`` matches a reason wins.

Example:
    >>> REASON_KINDS[0].code, [k.en for k in REASON_KINDS if k.code == "missing_field"]
    ('nul_character', ['missing required field'])
    >>> TODO["missing_field"][1]
    'fill in this field and import the file again'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReasonKind", "REASON_KINDS", "TODO", "REFERRED", "NEAR_TODO", "PREFIX_FORMS", "TS_FORMATS", "SPAN"]


@dataclass(frozen=True)
class ReasonKind:
    code: str
    start: str  # regex matched at the start of a reason (or of its grouped prefix)
    zh: str  # the kind's name
    en: str
    forms: tuple[tuple[str, str], ...] = ()  # (full regex, Chinese template with its named groups)


SPAN = r"(?P<span>; it spans lines (?P<first>\d+)-(?P<last>\d+), check for an unclosed quote)?"

# Order matters: the first kind whose start matches wins (unknown entity before unknown <field>).
REASON_KINDS: tuple[ReasonKind, ...] = (
    ReasonKind("nul_character", r"NUL character|malformed JSON with NUL", "含 NUL 字符", "NUL character", (
        (r"NUL character \(\\x00\) in (?P<field>\w+): .*",
         "{field} 中含有 NUL 字符（\\x00）：导出文件已损坏或是二进制文件；请删除 NUL 字节（tr -d '\\000' < 文件 > 修复后的文件）后重新导入"),
        (r"malformed JSON with NUL characters.*", "JSON 格式错误：字符串之外有 NUL 字符（\\x00），导出文件已损坏"))),
    ReasonKind("missing_id", r"missing required id", "缺少 ID", "missing id", ((r"missing required id", "缺少必填的 ID"),)),
    ReasonKind("missing_field", r"missing required field", "缺少必填字段", "missing required field", (
        (r"missing required field (?P<field>\w+)", "缺少必填字段 {field}"),)),
    ReasonKind("unknown_entity", r"unknown entity\b", "无法识别的数据类型", "unknown entity", (
        (r"unknown entity '(?P<value>.*)'", "无法识别的数据类型 '{value}'"),)),
    ReasonKind("unknown_spec_attribute", r"unknown spec attribute", "无法比对的参数名", "unknown spec attribute", (
        (r"unknown spec attribute '(?P<value>.*)': the misinformation check compares only (?P<expected>.+?) or their Chinese names.*",
         "参数名 '{value}' 无法识别，不实信息检查不会比对它：只比对 {expected} 或其中文别名（见 docs/data-model.md 的 Spec attribute names）；"
         "请改用这些名称，或将该行的 kind 改为 selling_point，然后重新导入"),)),
    ReasonKind("unknown_code", r"unknown \w+", "无法识别的取值", "unknown value", (
        (r"unknown (?P<field>\w+) '(?P<value>.*)' \(expected one of: (?P<expected>.*)\)",
         "{field} 的取值 '{value}' 无法识别（应为以下之一：{expected}）"),)),
    ReasonKind("invalid_value", r"not a valid", "格式无效的值", "invalid value", (
        (r"not a valid (?P<what>.+?): '(?P<value>.*)'", "不是有效的{what}：'{value}'"),)),
    ReasonKind("duplicate_key", r"duplicate key", "重复的键", "duplicate key", (
        (r"duplicate key '(?P<key>.*)' in attrs: .*", "attrs 中的键 '{key}' 出现了两次（各 JSON 读取器取哪一个不一致）；请只保留一个后重新导入"),
        (r"duplicate key '(?P<key>.*)': .*", "键 '{key}' 在对象中出现了两次（各 JSON 读取器取哪一个不一致）；请只保留一个后重新导入"))),
    ReasonKind("impossible_time", r"impossible timestamp", "不可能的时间", "impossible timestamp", (
        (r"impossible timestamp (?P<at>.+) \(outside (?P<min>\S+) \.\. now\)", "不可能的时间 {at}（不在 {min} 至今的范围内）"),)),
    ReasonKind("dates_out_of_order", r"dates out of order", "日期先后颠倒", "dates out of order", (
        (r"dates out of order: (?P<later>\w+) (?P<at>.+?) is before (?P<earlier>\w+) (?P<before>.+?): .*",
         "日期先后颠倒：{later} {at} 早于 {earlier} {before}；请更正日期（或将 {later} 留空）后重新导入"),)),
    ReasonKind("text_too_long", r"text too long", "文字过长", "text too long", (
        (r"text too long: (?P<n>\d+) characters \(limit (?P<limit>\d+), .*\)",
         "文字过长：{n} 个字符（上限 {limit}，可在 ingest.max_text_chars 中调整）"),)),
    ReasonKind("missing_target", r"an? \w+ needs", "缺少关联对象", "missing parent or target", (
        (r"an? (?P<kind>\w+) needs a target", "{kind}需要关联对象（target_member_id 或 target_content_id）"),
        (r"an? (?P<kind>\w+) needs (?P<what>\w+)", "{kind}需要 {what}"))),
    ReasonKind("own_parent", r"item is its own parent", "父内容是自身", "own parent", ((r"item is its own parent", "内容的父内容是它自己"),)),
    ReasonKind("duplicate_id", r"duplicate id", "ID 重复且内容不同", "duplicate id", (
        (r"duplicate id '(?P<value>.*)' differs from the row at (?P<at>.+)", "ID '{value}' 重复，且与 {at} 处的行内容不同"),)),
    ReasonKind("rounded_id", r"rounded id", "被 Excel 舍入的 ID", "rounded id", (
        (r"rounded id: (?P<field>\w+) '(?P<value>.*)': .*",
         "ID 被舍入：{field} '{value}' 是科学计数法的数字，Excel 把 16 位以上的 ID 当作数字保存时只保留 15 位，末尾的数字已丢失；"
         "请在 Excel 中将 ID 列设置为文本格式（或从平台重新导出）后重新导入"),)),
    ReasonKind("dangling_reference", r"dangling reference", "引用不存在的记录", "dangling reference", (
        (r"dangling reference: (?P<field>\w+) '(?P<value>.*)' is not a known (?P<noun>\w+) id; did you mean '(?P<near>.*)'\?",
         "引用不存在：{field} '{value}' 不是已知的{noun} ID；是否应为 '{near}'？（两者只差前导零或大小写）"),
        (r"dangling reference: (?P<field>\w+) '(?P<value>.*)' is not a known (?P<noun>\w+) id",
         "引用不存在：{field} '{value}' 不是已知的{noun} ID"),)),
    ReasonKind("reply_before_parent", r"reply dated", "回复早于父内容", "reply before its parent", (
        (r"reply dated (?P<at>.+), before its parent \((?P<before>.+)\)", "回复时间 {at} 早于其父内容（{before}）"),)),
    ReasonKind("malformed_json", r"malformed JSON", "JSON 格式错误", "malformed JSON", ((r"malformed JSON", "JSON 格式错误"),)),
    ReasonKind("not_json_object", r"not a JSON object", "不是 JSON 对象", "not a JSON object", (
        (r"not a JSON object \(got (?P<what>\w+)\)", "不是 JSON 对象（而是{what}）"),)),
    ReasonKind("bad_encoding", r"bytes not valid", "文字编码错误", "mis-encoded text", (
        (r"bytes not valid (?P<enc>\S+) at byte (?P<n>\d+) \(mis-encoded text\)", "从第 {n} 个字节起不是有效的 {enc} 编码（文字编码错误）"),
        (r"bytes not valid (?P<enc>\S+) in a binary column.*", "二进制列中的字节不是有效的 {enc} 编码（文字编码错误）"))),
    ReasonKind("incomplete_record", r"line(\s|$)", "记录不完整", "incomplete record", (
        (rf"line (?P<n>\d+) inside this record could not be decoded.*?{SPAN}; re-save the file as UTF-8",
         "本记录中的第 {n} 行无法解码（已单独隔离），因此记录不完整{span}；请将文件另存为 UTF-8"),)),
    ReasonKind("malformed_csv", r"malformed CSV", "CSV 记录格式错误", "malformed CSV record", (
        (rf"malformed CSV record \((?P<detail>.*?)\){SPAN}(?P<eof>; an unclosed quote runs to the end of the file)?",
         "CSV 记录格式错误（{detail}）{span}{eof}"),)),
    ReasonKind("wrong_field_count", r"wrong number of fields", "字段数不对", "wrong number of fields", (
        (rf"wrong number of fields: expected (?P<n>\d+), found (?P<found>\d+){SPAN}", "字段数不对：应为 {n} 个，实际 {found} 个{span}"),)),
    ReasonKind("mixed_entities", r"row names entity", "一个文件中混有多种数据类型", "mixed entities", (
        (r"row names entity '(?P<value>.*)' but this file holds (?P<entity>\w+); .*",
         "该行的数据类型是 '{value}'，但本文件是{entity}；每个 CSV 文件只能有一种数据类型"),)),
    ReasonKind("no_entity", r"no entity", "无法确定数据类型", "no entity", (
        (r"no entity.*", "无法确定数据类型：请按数据类型命名文件（members、content、interactions ……），或填写 entity 列（键），导入 CSV 时也可用 --entity 指定"),)),
    ReasonKind("malformed_xml", r"malformed XML", "XML 格式错误", "malformed XML", (
        (r"malformed XML: row cut off at the end of the file.*", "XML 格式错误：这一行在文件末尾被截断（文件不完整？）"),
        (r"malformed XML: row not closed before the error at line (?P<n>\d+)", "XML 格式错误：这一行在第 {n} 行的错误之前没有结束"),
        (r"malformed XML: (?P<detail>.+) at column (?P<n>\d+)", "XML 格式错误：{detail}（第 {n} 列）"))),
)
TS_FORMATS = ("2025-03-01 08:00、2025-03-01T08:00:00+08:00、2025/03/01 08:00、2025年3月1日 08:00、2025/3/1 下午8:00、20250301、2025.03.01 或 Unix 秒（10 位）/毫秒（13 位）",
               "2025-03-01 08:00, 2025-03-01T08:00:00+08:00, 2025/03/01 08:00, 2025年3月1日 08:00, 2025/3/1 下午8:00 or 8:00 PM, 20250301, 2025.03.01, or Unix "
               "seconds (10 digits) / milliseconds (13 digits)")
# What the operator does about each kind, (zh, en), appended to the shown text; the stored reason stays as it was
# written (re-imports and scripts compare it). Kinds whose stored reason already says what to do have none.
TODO: dict[str, tuple[str, str]] = {
    "missing_id": ("请在该行填写 ID 后重新导入该文件", "fill in the row's id and import the file again"),
    "missing_field": ("请在该行填写此字段后重新导入该文件", "fill in this field and import the file again"),
    "unknown_entity": ("请把 entity 改为 members、content、interactions 等已知类型后重新导入",
                       "set entity to a known one (members, content, interactions ...) and import again"),
    "unknown_code": ("请改为所列取值之一后重新导入", "change it to one of the listed values and import again"),
    "invalid_value": ("请改正该值后重新导入", "correct the value and import again"),
    "impossible_time": ("请更正时间（或调整 ingest.min_timestamp / ingest.max_future_hours）后重新导入",
                        "correct the time (or adjust ingest.min_timestamp / ingest.max_future_hours) and import again"),
    "missing_target": ("请补上所缺的关联 ID 后重新导入", "fill in the missing id and import again"),
    "own_parent": ("请更正 parent_id 后重新导入", "correct parent_id and import again"),
    "duplicate_id": ("请删除重复行或改用不同的 ID 后重新导入", "remove the duplicate row or give it its own id, then import again"),
    # held rows are tried again by the import that brings what they refer to (reef.ingest.held)
    "dangling_reference": ("导入所引用的记录（如成员文件）后，本行会随那次导入自动重新处理",
                           "import the referenced records (e.g. the members file): the row is tried again with that import"),
    "reply_before_parent": ("请更正回复或父内容的时间（或调大 ingest.parent_skew_hours）后重新导入",
                            "correct the reply's or its parent's time (or raise ingest.parent_skew_hours) and import again"),
    "malformed_json": ("请修正该行的 JSON 后重新导入", "fix the line's JSON and import again"),
    "not_json_object": ("每行应是一个 JSON 对象 {...}；请修正后重新导入", "each line must be one JSON object {...}; fix it and import again"),
    "bad_encoding": ("请将文件另存为 UTF-8（如 iconv -f GBK -t UTF-8 原文件 > 新文件），或导入时指明其编码（命令行 --encoding gbk，"
                     "Python encoding=\"gbk\"），然后重新导入",
                     "re-save the file as UTF-8 (e.g. iconv -f GBK -t UTF-8 file > file-utf8), or name its encoding when "
                     "importing (--encoding gbk on the command line, encoding=\"gbk\" in Python), and import again"),
    "malformed_csv": ("请修正该记录（通常是引号）后重新导入", "fix the record (usually a quote) and import again"),
    "wrong_field_count": ("请检查该行的逗号和引号后重新导入", "check the row's commas and quotes and import again"),
    "malformed_xml": ("请修正或重新导出该文件后再导入", "fix or re-export the file and import again"),
}
# A dangling reference with "did you mean" (reef.ingest.near_ids): the reference is to be corrected, not imported.
NEAR_TODO = ("ID 按原样比较：请把引用改为已知的 ID（Excel 会去掉数字列的前导零：请将 ID 列设置为文本格式），或导入该 ID 的记录，然后重新导入",
             "ids are compared as written: correct the reference to the known id (Excel drops a number column's leading zeros: "
             "format the id columns as text), or import the record of this id, and import again")
# A dangling reference names the file to import, by what it refers to (the stored reason's noun).
REFERRED: dict[str, tuple[str, str]] = {
    "member": ("请导入成员文件 members.csv（列：用户ID,昵称,注册时间 或 member_id,name,joined_at），本行会随那次导入自动重新处理",
               "import the members file, members.csv (columns 用户ID,昵称,注册时间 or member_id,name,joined_at): the row is tried "
               "again with that import"),
    "group": ("请导入板块文件 groups.csv（列：板块ID,板块名称,创建时间 或 group_id,name,created_at），本行会随那次导入自动重新处理",
              "import the boards file, groups.csv (columns 板块ID,板块名称,创建时间 or group_id,name,created_at): the row is tried "
              "again with that import"),
    "content": ("请导入其所引用的帖子（主题帖或父内容所在的文件），本行会随那次导入自动重新处理",
                "import the file holding the item it refers to (the thread or parent): the row is tried again with that import"),
    "campaign": ("请导入活动文件 campaigns.csv（列：活动ID,活动名称 或 campaign_id,name ……），或删去该列；本行会随那次导入自动重新处理",
                 "import the campaigns file, campaigns.csv (columns 活动ID,活动名称 or campaign_id,name ...), or drop the column: "
                 "the row is tried again with that import"),
}
# The grouped prefix of a reason (what an import's summary and ``reef status`` count by: the text before the first
# quote, colon or digit) said in Chinese, so a count reads "引用不存在的记录", not "引用不存在的记录：dangling reference".
# Tried after the kind's full forms.
PREFIX_FORMS: dict[str, tuple[str, str]] = {
    "nul_character": (r"NUL character", "含 NUL 字符"),
    "unknown_entity": (r"unknown entity", "无法识别的数据类型"),
    "unknown_spec_attribute": (r"unknown spec attribute", "无法比对的参数名"),
    "unknown_code": (r"unknown (?P<field>\w+)", "{field} 的取值无法识别"),
    "invalid_value": (r"not a valid (?P<what>.+?)", "不是有效的{what}"),
    "duplicate_key": (r"duplicate key", "重复的键"),
    "impossible_time": (r"impossible timestamp", "不可能的时间"),
    "dates_out_of_order": (r"dates out of order", "日期先后颠倒"),
    "text_too_long": (r"text too long", "文字过长"),
    "duplicate_id": (r"duplicate id", "ID 重复且内容不同"),
    "dangling_reference": (r"dangling reference", "引用不存在的记录"),
    "rounded_id": (r"rounded id", "被 Excel 舍入的 ID"),
    "reply_before_parent": (r"reply dated", "回复早于父内容"),
    "not_json_object": (r"not a JSON object", "不是 JSON 对象"),
    "bad_encoding": (r"bytes not valid (?P<enc>\S+)(?: at byte| in a binary column)?", "文字编码错误（不是有效的 {enc} 编码）"),
    "incomplete_record": (r"line", "记录不完整"),
    "malformed_csv": (r"malformed CSV record", "CSV 记录格式错误"),
    "wrong_field_count": (r"wrong number of fields", "字段数不对"),
    "mixed_entities": (r"row names entity", "一个文件中混有多种数据类型"),
    "malformed_xml": (r"malformed XML", "XML 格式错误"),
}

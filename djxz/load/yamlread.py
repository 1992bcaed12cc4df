"""The fast read path: bytes -> text -> composed YAML nodes with line marks, using libyaml through PyYAML.

PyYAML resolves YAML 1.1 (`no` is false, `0123` is octal), so nothing here resolves scalars: the schema converter reads
each scalar's raw text by the type its field expects. Everything a file can do wrong becomes a Diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from djxz.model import ERROR, Diagnostic, Source

from yaml.resolver import BaseResolver

try:  # libyaml is in every PyYAML wheel we support; the pure-Python parser is a slow but correct fallback.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Loader(_Parser, BaseResolver):
    """Composes nodes and resolves nothing: every untagged node gets its kind's default tag.

    YAML 1.1 resolution (PyYAML's) would be wrong for us and costs a third of the parse; the converter types scalars.
    """

    def __init__(self, stream) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.M)
_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)

# libyaml's messages, as a clerk would understand them.
_PROBLEMS = (
    ("found character '\\t'", "不能用制表符（Tab）缩进", "请把 Tab 换成空格（每级两个空格）"),
    ("mapping values are not allowed", "这里不能出现“键: 值”", "检查上一行的缩进；值里含有冒号时请用引号括起来"),
    ("could not find expected ':'", "缺少冒号“:”", "每个字段写成“键: 值”，冒号后留一个空格"),
    ("did not find expected key", "缩进不一致", "同一层的字段要左对齐"),
    ("did not find expected '-'", "列表项缩进不一致", "同一列表的“- ”要左对齐"),
    ("expected <block end>", "缩进不一致", "同一层的字段要左对齐"),
    ("found unexpected end of stream", "文件意外结束", "检查引号或括号是否成对"),
    ("found unknown escape character", "双引号内有无效的转义字符", "改用单引号，或把反斜杠写成 \\\\"),
    ("expected a single document", "一个文件只能有一个 YAML 文档", "删除多余的“---”分隔行"),
    ("found undefined tag handle", "使用了未定义的标签", "删除以“!”开头的标签"),
    ("while scanning a quoted scalar", "引号没有闭合", "补上结尾的引号"),
    ("found unexpected ':'", "这里不能出现冒号", "值里含有冒号时请用引号括起来"),
    ("expected ',' or ']'", "方括号中的列表项之间缺少逗号", "用“, ”分隔列表项，或检查方括号是否成对"),
    ("expected ',' or '}'", "花括号中的字段之间缺少逗号", "用“, ”分隔字段，或检查花括号是否成对"),
    ("found duplicate anchor", "锚点名称重复", "删除重复的 & 锚点"),
    ("found undefined alias", "引用了未定义的锚点", "删除以“*”开头的引用"),
    ("control characters are not allowed", "文件含有不可见的控制字符", "用编辑器删除这些字符后重新保存"),
    ("found character that cannot start any token", "这里有不能出现在开头的字符", "含有 @、`、% 等符号的值请用引号括起来"),
    ("while parsing a flow", "方括号或花括号没有成对", "检查 [ ] 和 { } 是否成对"),
)


@dataclass(frozen=True)
class Parsed:
    """A file's top node (None when empty or broken) and what went wrong on the way."""

    node: yaml.Node | None
    diagnostics: tuple[Diagnostic, ...]


def _error(path: str, code: str, message: str, hint: str = "", line: int = 0, col: int = 0) -> Diagnostic:
    return Diagnostic(Source(path, line, col), code, ERROR, message, hint)


def decode(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text with a BOM or CRLF accepted; anything else gets a message that names what it looks like."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _error(path, "DJX002", "文件是 UTF-16 编码，需要 UTF-8", "在编辑器中选择“另存为 UTF-8”后重新提交", 1, 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, _error(path, "DJX002", "文件含有空字节（NUL），不是文本文件", "确认提交的是 YAML 文本而不是 Word/Excel 等二进制文件", line, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = "不是 UTF-8 编码"
        try:
            data.decode("gb18030")
            guess = "看起来是 GBK（GB2312/GB18030）编码，不是 UTF-8"
        except UnicodeDecodeError:
            pass
        name = path.rsplit("/", 1)[-1]
        return None, _error(
            path, "DJX002", f"文件{guess}",
            f"用记事本或 VS Code“另存为 UTF-8”；或运行 iconv -f GBK -t UTF-8 {name} > {name}.utf8 后用它替换原文件", line, col,
        )
    return text, None


def parse_text(text: str, path: str) -> Parsed:
    """Compose one YAML document into nodes; syntax problems become Diagnostics with their line."""
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return Parsed(None, (_error(path, "DJX007", "文件含有未解决的合并冲突标记", "保留正确的内容，删除 <<<<<<<、======= 和 >>>>>>> 行", line, 1),))
    if _too_deep(text):
        return Parsed(None, (_error(path, "DJX003", f"嵌套层数超过 {MAX_DEPTH} 层", "协作区的文件不需要这么深的嵌套，请检查缩进和括号", 1, 1),))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        # Where an unclosed quote or bracket started helps more than where the file ended.
        starts = exc.context and ("quoted scalar" in exc.context or "flow" in exc.context)
        mark = (exc.context_mark if starts else None) or exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        last = text.count("\n") + 1  # libyaml may point just past a file cut off mid-line
        if line > last:
            line, col = last, len(text.rsplit("\n", 1)[-1]) + 1
        raw = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        message, hint = _translate(raw)
        slip = _typing_slip(text, line)
        if slip:  # libyaml notices a line late; the Chinese-keyboard slip that caused it is the line to fix
            line, col, message, hint = slip
        # The parser's own English stays out of the message: the clerk gets the Chinese reason, the line and the fix.
        return Parsed(None, (_error(path, "DJX003", f"YAML 语法错误：{message}", hint, line, col),))
    except yaml.YAMLError as exc:
        message, hint = _translate(str(exc))
        return Parsed(None, (_error(path, "DJX003", f"YAML 语法错误：{message}", hint, 1, 1),))
    except RecursionError:
        return Parsed(None, (_error(path, "DJX003", "YAML 嵌套过深，无法读取", "请检查缩进和括号", 1, 1),))
    if node is None:
        return Parsed(None, (_error(path, "DJX008", "文件是空的", "按 README 的示例填写字段，或删除这个文件", 1, 1),))
    if "*" in text or "!" in text or "<<" in text:  # only then can there be an alias, a tag or a merge key
        return Parsed(node, tuple(_check_structure(node, path)))
    return Parsed(node, ())


def too_large(path: str, size: int) -> Diagnostic:
    return _error(path, "DJX001", f"文件过大（{size // 1024 // 1024} MB），不像协作区的记录", "一个记录文件通常只有几 KB；附件请放在 attachments 目录并在记录里写路径", 1, 1)


def parse_bytes(data: bytes, path: str) -> Parsed:
    if len(data) > MAX_FILE_BYTES:
        return Parsed(None, (too_large(path, len(data)),))
    text, problem = decode(data, path)
    if problem:
        return Parsed(None, (problem,))
    return parse_text(text, path)


# Only at the very start of a line: a text block may well indent a paragraph with full-width spaces after its own indent.
_FULLWIDTH_INDENT = re.compile(r"^\u3000", re.M)
# `name:值` (a field name, a colon, no space): YAML reads the whole line as one text and fails on a later line.
_NO_SPACE_AFTER_COLON = re.compile(r"^ *([a-z_][a-z0-9_]*):[^\s:/]", re.M)
_FULLWIDTH_COLON = re.compile(r"^[ \t]*(?:- +)?[A-Za-z_][\w-]*[ \t]*(：)", re.M)


def _typing_slip(text: str, upto: int) -> tuple[int, int, str, str] | None:
    """The first line up to `upto` indented with a full-width space or with a full-width colon after a field name."""
    end = len(text)
    if upto:
        cut = -1
        for _ in range(upto):
            cut = text.find("\n", cut + 1)
            if cut < 0:
                break
        end = cut if cut >= 0 else len(text)
    found = []
    m = _FULLWIDTH_INDENT.search(text, 0, end)
    if m:
        found.append((m.start(), "行首用了全角空格（中文输入法的空格）缩进", "把行首的全角空格换成半角空格（每级两个）"))
    m = _FULLWIDTH_COLON.search(text, 0, end)
    if m:
        found.append((m.start(1), "字段名后面用了全角冒号“：”", "改成半角冒号加一个空格“: ”"))
    m = _NO_SPACE_AFTER_COLON.search(text, 0, end)
    if m:
        found.append((m.start(1), "冒号后缺少空格", "在字段名后的冒号后面加一个空格，写成“键: 值”"))
    if not found:
        return None
    at, message, hint = min(found)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1, message, hint


def _translate(raw: str) -> tuple[str, str]:
    for needle, message, hint in _PROBLEMS:
        if needle in raw:
            return message, hint
    return "这一行附近的写法无法解析", "对照 docs/records.md 的示例检查这一行附近的缩进、冒号（冒号后要有空格）和引号"


_DEEP_INDENT = re.compile(r"^ {%d,}\S" % (MAX_DEPTH * 8), re.M)


def _too_deep(text: str) -> bool:
    """A cheap guard before libyaml's recursive composer: flow brackets or indentation deeper than any record needs."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for ch in text:
            if ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif ch in "]}":
                depth -= 1
    return _DEEP_INDENT.search(text) is not None


def position(node: yaml.Node, path: str) -> Source:
    mark = node.start_mark
    return Source(path, mark.line + 1, mark.column + 1)


def _check_structure(root: yaml.Node, path: str):
    """Aliases, merge keys and non-standard tags: each is an error at its own line. (Duplicate keys: the converter.)"""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, yaml.Node | None]] = [(root, None)]
    while stack:
        node, key = stack.pop()
        if id(node) in seen:  # composed aliases are the anchored node itself: point at the key that reused it
            where = position(key if key is not None else node, path)
            yield Diagnostic(where, "DJX006", ERROR, "不允许使用锚点和别名（& 和 *）", "把引用的内容直接写出来")
            continue
        seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            yield Diagnostic(position(node, path), "DJX005", ERROR, f"不允许使用 YAML 标签 {node.tag}", "删除以“!”开头的标签，直接写值")
            continue
        if isinstance(node, yaml.MappingNode):
            children: list[tuple[yaml.Node, yaml.Node | None]] = []
            for key_node, value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and not key_node.style:
                    yield Diagnostic(position(key_node, path), "DJX006", ERROR, "不允许使用合并键“<<”", "把要合并的字段直接写出来")
                    continue
                children.append((key_node, None))
                children.append((value, key_node))
            stack.extend(reversed(children))  # visit in document order, so the later use of an alias is the one reported
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, None) for item in reversed(node.value))

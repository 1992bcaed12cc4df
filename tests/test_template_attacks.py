"""Templates from a pull request, and record text, against the Jinja sandbox and its limits (djxz/report/limits.py).

A template may lay out the data it is given and nothing else: it cannot read a file, import a module, reach Python's
insides (`__class__`, `__globals__`, `__subclasses__`, the template context), loop or recurse without end, or build a
value or an output big enough to exhaust memory. Each attempt, in a Markdown template and in a DOCX template, stops
the command cleanly: exit 1, a Chinese message naming the template, no traceback, no file written, nothing run.
Record text is only ever data: `{{ 7*7 }}` in a title or summary is printed as written, in Markdown and in DOCX.
"""

from __future__ import annotations

import os
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import MINI_ZONE, run_cli, write_zone

MARKER = "@MARKER@"
ATTACKS = {
    # reading files, importing
    "include-absolute-path": ("{% include '/etc/passwd' %}", "不存在"),
    "include-dot-dot": ("{% include '../../../../../../../etc/passwd' %}", "不存在"),
    "extends-a-file": ("{% extends '/etc/hostname' %}", "不存在"),
    "import-a-module": ("{% import 'os' as os %}{{ os.system('touch @MARKER@') }}", "不存在"),
    "from-import": ("{% from 'subprocess' import run %}", "不存在"),
    # Python's insides
    "template-context": ("{{ self._TemplateReference__context }}", "沙箱"),
    "class": ("{{ title.__class__ }}", "沙箱"),
    "subclasses": ("{{ [].__class__.__base__.__subclasses__() }}", "沙箱"),
    "mro": ("{{ ''.__class__.__mro__ }}", "沙箱"),
    "lipsum-globals": ("{{ lipsum.__globals__.os.system('touch @MARKER@') }}", "不存在的字段"),
    "cycler-globals": ("{{ cycler.__init__.__globals__.os.popen('touch @MARKER@') }}", "沙箱"),
    "macro-globals": ("{% macro m() %}{% endmacro %}{{ m.__globals__ }}", "__globals__"),
    "attr-filter": ("{{ title|attr('__class__') }}", "沙箱"),
    "format-reaches-class": ("{{ '{0.__class__.__init__.__globals__}'.format(title) }}", "沙箱"),
    "method-self": ("{{ title.upper.__self__ }}", "沙箱"),
    "mutate-data": ("{{ annex.activities.append(1) }}", "沙箱"),
    "config": ("{{ config.items() }}", "不存在的字段"),
    # loops, recursion and sizes
    "range-huge": ("{% for i in range(10**9) %}{% endfor %}", "range()"),
    "nested-ranges": ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", "循环和调用"),
    "recursive-macro": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "递归过深"),
    "string-bomb": ("{{ 'x' * 10**10 }}", "超过"),
    "power-bomb": ("{{ 10**(10**8) }}", "指数"),
    "doubling-macro": ("{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}{% endmacro %}{{ f('x', 60) }}", "超过"),
    "wide-filter": ("{{ title|center(10**9) }}", "过大"),
    "wide-format": ("{{ '%999999999s' % title }}", "过大"),
    "deep-nesting": ("".join("{% for x" + str(i) + " in annex.activities %}" for i in range(40)) + "{% endfor %}" * 40, "嵌套过深"),
    "deep-parentheses": ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "嵌套过深"),
    "output-flood": ("{% for i in range(10000) %}{% for j in range(150) %}" + "洪" * 200 + "{% endfor %}{% endfor %}", "输出超过"),
}
# Nested loops over the record data, no call, no range: only the clock stops them (15 deep: Python compiles up to 20).
ENDLESS = "".join("{% for x" + str(i) + " in numerals %}" for i in range(15)) + "{% endfor %}" * 15


def zone(tmp_path: Path) -> Path:
    return write_zone(tmp_path / "zone", MINI_ZONE)


def evil_docx(path: Path, text: str) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于测试协作区的通报")
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def attempt(tmp_path: Path, root: Path, fmt: str, source: str, *extra: str) -> tuple[int, str, str]:
    """`djxz brief --annual` with a template from the pull request: the attack, and nothing is written."""
    source = source.replace(MARKER, str(tmp_path / "executed"))
    evil = tmp_path / "pr"
    evil.mkdir(exist_ok=True)
    if fmt == "md":
        (evil / "evil.md.j2").write_text(source, encoding="utf-8")
    else:
        evil_docx(evil / "evil.docx", source)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    code, out, err = run_cli("brief", "--annual", "--year", "2024", "--format", fmt, "--template", str(evil / "evil"),
                             "--zone", str(root), *extra)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before, "a refused render wrote something"
    assert not (tmp_path / "executed").exists(), "the template ran code"
    assert "Traceback" not in out + err and "内部错误" not in err, err
    return code, out, err


@pytest.mark.parametrize("fmt", ["md", "docx"])
@pytest.mark.parametrize("name", ATTACKS)
def test_a_template_from_a_pull_request_is_stopped(tmp_path: Path, name: str, fmt: str) -> None:
    source, words = ATTACKS[name]
    if fmt == "docx" and source.startswith(("{% include", "{% extends", "{% import", "{% from")):
        words = "模板"  # a DOCX template has no loader at all: the tag itself is refused
    code, out, err = attempt(tmp_path, zone(tmp_path), fmt, source)
    assert code == 1, err
    assert err.startswith(f"错误：模板 evil.{'md.j2' if fmt == 'md' else 'docx'}"), err
    assert words in err, err


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_template_that_never_ends_is_stopped_by_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.setenv("DJXZ_RENDER_SECONDS", "1")
    started = time.monotonic()
    code, out, err = attempt(tmp_path, zone(tmp_path), fmt, ENDLESS)
    assert code == 1 and "渲染超过 1 秒仍未完成" in err, err
    assert time.monotonic() - started < 60  # it did stop; the limit is what the message says


def test_the_zone_s_own_template_folder_is_sandboxed_too(tmp_path: Path) -> None:
    """The usual way in: a pull request adds templates/report.md.j2 beside data/."""
    root = zone(tmp_path)
    (root / "templates").mkdir()
    (root / "templates/report.md.j2").write_text("# {{ title }}\n{{ title.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    code, out, err = run_cli("brief", "--annual", "--year", "2024", "--format", "md", "--zone", str(root))
    assert code == 1 and err.startswith("错误：模板 report.md.j2 第 2 行") and "沙箱" in err, err
    assert not (root / "out").exists()


def test_a_template_file_that_is_not_text_or_not_a_docx(tmp_path: Path) -> None:
    root = zone(tmp_path)
    evil = tmp_path / "pr"
    evil.mkdir()
    (evil / "evil.md.j2").write_bytes("{{ title }}".encode("gbk") + "标题".encode("gbk"))
    (evil / "evil.docx").write_bytes(b"PK\x03\x04 not really a zip")
    for fmt, words in (("md", "无法读取模板"), ("docx", "不是有效的 DOCX 文件")):
        code, out, err = run_cli("brief", "--annual", "--year", "2024", "--format", fmt, "--template", str(evil / "evil"),
                                 "--zone", str(root))
        assert code == 1 and words in err and "Traceback" not in err, err


def test_the_limits_leave_real_documents_alone(tmp_path: Path) -> None:
    """The shipped templates on the example zone render as before: the limits are far above what a document needs."""
    from conftest import EXAMPLE

    for args in (["brief", "--half-year"], ["brief", "--annual"], ["brief", "--plan"], ["bulletin", "2026-01-07-yuedu-zuotan"]):
        code, out, err = run_cli(*args, "--zone", str(EXAMPLE), "--out", str(tmp_path / "out"))
        assert code == 0, err


# -- record text is data, never a template ----------------------------------------------------------------------------

TEMPLATE_TEXT = "{{ 7*7 }} {% include '/etc/passwd' %} {{ self.__class__ }}"


def test_record_text_is_printed_as_written_in_markdown_and_docx(tmp_path: Path) -> None:
    from docx import Document

    files = dict(MINI_ZONE)
    files["zone.yaml"] = textwrap.dedent(MINI_ZONE["zone.yaml"]).replace("short_name: 测试区", "short_name: '{{ 7*7 }}区'")
    act = textwrap.dedent(MINI_ZONE["activities/2024/2024-03-15-dangke.yaml"])
    act = act.replace("title: 联片党课", f'title: "{TEMPLATE_TEXT}"').replace("summary: 乙站主讲联片党课。", f'summary: "{TEMPLATE_TEXT}"')
    files["activities/2024/2024-03-15-dangke.yaml"] = act
    root = write_zone(tmp_path / "zone", files)
    assert run_cli("check", "--zone", str(root))[0] == 0
    out = tmp_path / "out"
    code, stdout, err = run_cli("bulletin", "2024-03-15-dangke", "--zone", str(root), "--out", str(out))
    assert code == 0, err
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    docx = "\n".join(p.text for p in Document(str(next(out.glob("*.docx")))).paragraphs)
    for text in (md.replace("\\", ""), docx):  # Markdown escapes * and _; the words are the same
        assert "{{ 7*7 }} {% include '/etc/passwd' %} {{ self.__class__ }}" in text, text
        assert "49" not in text and "root:" not in text


# -- the clock itself, on both of its paths ---------------------------------------------------------------------------

def test_the_deadline_stops_a_busy_loop_on_the_main_thread_and_restores_the_alarm() -> None:
    import signal

    from djxz.report.limits import RenderTimeout, deadline

    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(RenderTimeout):
        with deadline(0.2):
            while True:
                pass
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_deadline_stops_a_busy_loop_on_another_thread() -> None:
    """Where there is no SIGALRM (Windows) or not on the main thread, a watchdog raises in the rendering thread."""
    from djxz.report.limits import RenderTimeout, deadline

    caught: list[BaseException] = []

    def work() -> None:
        try:
            with deadline(0.2):
                while True:
                    pass
        except BaseException as exc:  # noqa: BLE001
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and caught and isinstance(caught[0], RenderTimeout), caught


def test_a_render_that_finishes_in_time_is_not_interrupted_later() -> None:
    from djxz.report.limits import deadline

    finished: list[str] = []

    def work(where: str) -> None:
        try:
            with deadline(0.05):
                pass
            time.sleep(0.2)  # past the deadline: nothing may land here
        except BaseException as exc:  # an alarm that fires late; in a thread it would otherwise vanish unseen
            finished.append(f"{where}: interrupted by {type(exc).__name__}")
            return
        finished.append(f"{where}: finished")

    work("main thread")
    thread = threading.Thread(target=work, args=("worker thread",))
    thread.start()
    thread.join()
    assert finished == ["main thread: finished", "worker thread: finished"]

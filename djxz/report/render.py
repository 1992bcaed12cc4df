"""Finding templates (a zone's own first, then the defaults) and rendering Markdown in a Jinja sandbox.

Record text only ever reaches a template as data: it is never compiled, so `{{ }}` in a summary prints as written.
Every template error (syntax, a missing field under StrictUndefined, a sandbox refusal) becomes a TemplateError that
names the template and its line.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from djxz.errors import TemplateError, UserError

MD_SUFFIX = ".md.j2"
DOCX_SUFFIX = ".docx"
# Which template each document uses by default; half-year and annual reports share the summary-report layout.
DEFAULT_NAMES = {"half_year": "report", "annual": "report", "plan": "plan", "bulletin": "bulletin"}


def default_templates_dir() -> Path:
    """The templates shipped with djxz: inside the package when installed, the checkout's templates/ otherwise."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "templates"
    if packaged.is_dir():
        return packaged
    return here.parent / "templates"  # a checkout where the djxz/templates symlink is a plain file (Windows)


def zone_template_dirs(zone_root: Path) -> list[Path]:
    """A zone's own template folders, most specific first: inside the zone directory, then at its repository root."""
    zone_root = Path(zone_root)
    dirs = [zone_root / "templates"]
    if zone_root.name == "data":
        dirs.append(zone_root.parent / "templates")
    return dirs


@dataclass(frozen=True)
class TemplateSet:
    """Where templates are looked up, in order: the first folder holding a name wins."""

    dirs: tuple[Path, ...]

    @classmethod
    def for_zone(cls, zone_root: Path) -> "TemplateSet":
        dirs: list[Path] = []
        for d in [*zone_template_dirs(zone_root), default_templates_dir()]:
            resolved = d.resolve()
            if resolved not in dirs:
                dirs.append(resolved)
        return cls(tuple(dirs))

    def find(self, name: str, suffix: str) -> Path:
        """The template `name` + `suffix` (e.g. `report`, `.md.j2`) from the folders, first found wins.

        A name with a folder in it is a path: `my/report` means my/report.md.j2 and my/report.docx.
        """
        if "/" in name or "\\" in name:
            stem = name
            for known in (MD_SUFFIX, DOCX_SUFFIX):
                if stem.endswith(known):
                    stem = stem[: -len(known)]
            path = Path(stem + suffix)
            if path.is_file():
                return path
            raise UserError(f"找不到模板文件 {path}")
        if not re.fullmatch(r"[\w.\-]+", name):
            raise UserError(f"模板名称“{name}”无效：只能用字母、数字、下划线、点和短横线，或者给出模板文件的路径")
        filename = name if name.endswith(suffix) else name + suffix
        for d in self.dirs:
            candidate = d / filename
            if candidate.is_file():
                return candidate
        where = "、".join(str(d) for d in self.dirs)
        raise UserError(f"找不到模板 {filename}（查找了：{where}）")


# -- Markdown escaping --------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^([#=+\-])")


def md_escape(value: object) -> object:
    """What `{{ }}` prints in Markdown: record text shows literally, it never becomes markup, HTML or a table cell break."""
    if not isinstance(value, str):
        return "" if value is None else value
    text = _MD_SPECIAL.sub(r"\\\1", value)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(r"\\\1", text)


# -- the sandbox --------------------------------------------------------------------------------------------------------

def sandbox(loader=None, autoescape: bool = False, finalize=None, trim: bool = True):
    """A sandboxed Jinja environment with StrictUndefined: templates may lay out data, never reach Python.

    `trim` drops the newline after a block tag (Markdown templates); DOCX templates keep docxtpl's plain settings.
    """
    from jinja2 import StrictUndefined

    from djxz.report.limits import LimitedSandbox  # the sandbox plus limits on time, loops and sizes

    kwargs = {"finalize": finalize} if finalize else {}
    return LimitedSandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=trim,
        lstrip_blocks=trim,
        keep_trailing_newline=True,
        **kwargs,
    )


def template_error(exc: Exception, name: str, source_lines: list[str] | None = None) -> TemplateError:
    """A Jinja exception as a Chinese message naming the template and the line (no traceback).

    `name` is the template's file name; the line comes from the exception (syntax errors) or from the innermost
    template frame of the traceback (Jinja rewrites tracebacks so those frames carry the template's file and line).
    """
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from djxz.report.limits import RenderLimitError

    line = None
    if isinstance(exc, TemplateSyntaxError):
        line = exc.lineno
        if exc.filename and Path(exc.filename).name != name:
            name, source_lines = Path(exc.filename).name, None
    else:
        frame = _template_frame(exc)
        if frame is not None:
            line = frame[1]
            if frame[0] != "<template>" and Path(frame[0]).name != name:
                name, source_lines = Path(frame[0]).name, None
    where = f"模板 {name}" + (f" 第 {line} 行" if line else "")
    if source_lines and line and 0 < line <= len(source_lines):
        snippet = re.sub(r"<[^>]+>", "", source_lines[line - 1]).strip()
        if snippet:
            where += f"（“{snippet[:60]}”）"
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, RenderLimitError):
        what = f"模板超出了限制，已停止渲染（{message}）"
    elif isinstance(exc, TemplateNotFound):
        what = f"模板引用的“{exc.name}”不存在（include、import、extends 只能引用模板目录中的模板）"
    elif isinstance(exc, SecurityError) or "unsafe" in message:
        what = f"模板试图访问不允许的内容，已被沙箱拒绝（{message}）"
    elif isinstance(exc, UndefinedError):
        field = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", message)
        missing = next((g for g in field.groups() if g), None) if field else None
        what = f"模板引用了不存在的字段“{missing}”" if missing else f"模板引用了不存在的字段（{message}）"
    elif isinstance(exc, TemplateSyntaxError):
        what = f"模板语法错误（{message}）"
    else:
        what = f"模板出错（{type(exc).__name__}：{message}）"
    return TemplateError(f"{where}：{what}")


def _template_frame(exc: Exception) -> tuple[str, int] | None:
    """The innermost traceback frame that is template code: (file name, line)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>" or frame.filename.endswith((MD_SUFFIX, ".j2")):
            found = (frame.filename, frame.lineno)
    return found


def template_loader(templates: TemplateSet, path: Path):
    """Where `{% include %}`, `{% import %}` and `{% extends %}` look: the chosen file's folder first (so they prefer the
    zone's own templates), then the template folders; `djxz/NAME` is always the shipped default, so a zone's
    report.md.j2 can extend the default of the same name and override only some blocks."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    folders = FileSystemLoader([str(path.parent), *(str(d) for d in templates.dirs)], encoding="utf-8-sig")
    shipped = FileSystemLoader(str(default_templates_dir()), encoding="utf-8-sig")
    return ChoiceLoader([PrefixLoader({"djxz": shipped}), folders])


def render_markdown(templates: TemplateSet, name: str, context: dict) -> str:
    """Render `name`.md.j2 with `context`; any template problem is a TemplateError (exit 1)."""
    from jinja2 import TemplateError as JinjaTemplateError

    path = templates.find(name, MD_SUFFIX)
    env = sandbox(template_loader(templates, path), finalize=md_escape)
    try:
        source = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"无法读取模板 {path}：{exc}") from None
    try:
        text = env.get_template(path.name).render(context)
    except JinjaTemplateError as exc:
        raise template_error(exc, path.name, source.splitlines()) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:  # a filter given the wrong data
        raise template_error(exc, path.name, source.splitlines()) from None
    return _tidy_markdown(text)


def _tidy_markdown(text: str) -> str:
    """At most one blank line in a row and one newline at the end, whatever the template's whitespace."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"

"""Finding templates (a zone's own first, then the defaults) and rendering Markdown in a Jinja sandbox.

Record text only ever reaches a template as data: it is never compiled, so `{{ }}` in a summary prints as written.
Every template error (syntax, a missing field under StrictUndefined, a sandbox refusal) becomes a TemplateError that
names the template and its line.
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

from djxz.errors import TemplateError, UserError
from djxz.escape import md_cell, md_inline

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
        for d in zone_template_dirs(zone_root):
            if d.is_symlink():  # a templates/ link from a pull request would read templates from anywhere
                raise TemplateError(f"模板目录 {d} 是符号链接：djxz 不经由符号链接读取模板，请换成普通文件夹")
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
            if candidate.is_symlink():
                raise TemplateError(_symlink_refusal(candidate))
            if candidate.is_file():
                return candidate
        where = "、".join(str(d) for d in self.dirs)
        raise UserError(f"找不到模板 {filename}（查找了：{where}）")


def _symlink_refusal(path: Path) -> str:
    return f"模板 {path} 是符号链接：djxz 不读取符号链接形式的模板（它可能指向协作区以外的文件），请换成普通文件"


def template_loader(search: list[Path]):
    """A Jinja loader for `{% include %}`, `{% import %}` and `{% extends %}`: only regular files inside the template
    folders, never through a symlink (a link in a zone's templates/ could read ~/.ssh/id_rsa into a report)."""
    from jinja2 import FileSystemLoader
    from jinja2.exceptions import SecurityError

    class NoSymlinkLoader(FileSystemLoader):
        def get_source(self, environment, template):
            from jinja2.loaders import split_template_path

            pieces = split_template_path(template)  # refuses `..`
            for folder in self.searchpath:
                top = Path(folder)
                path = top
                for piece in pieces:
                    path = path / piece
                    if path.is_symlink():
                        raise SecurityError(_symlink_refusal(path))
                if path.is_file() and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(top)):
                    raise SecurityError(f"模板 {template} 不在模板目录 {top} 之内")
            return super().get_source(environment, template)

    return NoSymlinkLoader([str(d) for d in search], encoding="utf-8-sig", followlinks=False)


# -- Markdown escaping --------------------------------------------------------------------------------------------------

def md_escape(value: object) -> object:
    """What `{{ }}` prints in Markdown: record text shows literally, it never becomes markup or HTML (djxz.escape)."""
    if not isinstance(value, str):
        return "" if value is None else value
    return md_inline(value)


class CellText(str):
    """Text already escaped for a table cell by the `cell` filter: finalize leaves it alone."""


def md_cell_filter(value: object) -> str:
    """`{{ row.note | cell }}`: one table cell, so a newline or `|` in a record can never end the row or forge one."""
    return CellText(md_cell("" if value is None else str(value)))


def _finalize(value: object) -> object:
    return value if isinstance(value, CellText) else md_escape(value)


# -- the sandbox --------------------------------------------------------------------------------------------------------

def sandbox(loader=None, autoescape: bool = False, finalize=None, trim: bool = True):
    """A sandboxed Jinja environment with StrictUndefined: templates may lay out data, never reach Python.

    `trim` drops the newline after a block tag (Markdown templates); DOCX templates keep docxtpl's plain settings.
    """
    from jinja2 import StrictUndefined

    from djxz.report.limits import LimitedSandbox  # limits subclasses jinja2's sandbox: jinja2 only when rendering

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

    from djxz.report.limits import RenderLimitError  # limits imports jinja2: only once a template fails

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


def render_markdown(templates: TemplateSet, name: str, context: dict) -> str:
    """Render `name`.md.j2 with `context`; any template problem is a TemplateError (exit 1)."""
    from jinja2 import TemplateError as JinjaTemplateError

    path = templates.find(name, MD_SUFFIX)
    env = sandbox(_loader(templates, path), finalize=_finalize)
    env.filters["cell"] = md_cell_filter
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


BUILTIN_PREFIX = "djxz"


def _loader(templates: TemplateSet, path: Path):
    """The chosen file's folder first, so `{% include %}` and `{% extends %}` also prefer the zone's own templates;
    `djxz/<name>` is always the built-in template, so a zone's `plan.md.j2` can extend `djxz/plan.md.j2` and override
    only some of its blocks."""
    from jinja2 import ChoiceLoader, PrefixLoader

    # Both halves refuse symlinks and paths outside their folders (template_loader).
    return ChoiceLoader([
        PrefixLoader({BUILTIN_PREFIX: template_loader([default_templates_dir()])}),
        template_loader([path.parent, *templates.dirs]),
    ])


def render_block(templates: TemplateSet, name: str, block: str, context: dict, fallback: str | None = None) -> str:
    """One named block of `name`.md.j2 as plain one-line text (no Markdown escaping): a title the template writes
    (a bulletin's headline, the plan's title) that the DOCX, a document record and the terminal also need.

    Blocks a zone overrides through `{% extends %}` are honoured. When the template has no such block (a custom
    template that does not extend the built-in one), the `fallback` template's block is used.
    """
    from jinja2 import TemplateError as JinjaTemplateError

    try:
        path = templates.find(name, MD_SUFFIX)
    except UserError:
        if fallback is None:
            raise
        path = templates.find(fallback, MD_SUFFIX)
    env = sandbox(_loader(templates, path))
    env.filters["cell"] = md_cell_filter
    try:
        template = env.get_template(path.name)
        ctx = template.new_context(dict(context))
        env.concat(template.root_render_func(ctx))  # runs the {% extends %} chain, so every block is known
        if block not in ctx.blocks:
            if fallback is not None and fallback != name:
                return render_block(TemplateSet((default_templates_dir(),)), fallback, block, context)
            raise TemplateError(f"模板 {path.name} 中没有名为“{block}”的块")
        text = env.concat(ctx.blocks[block][0](ctx))
    except JinjaTemplateError as exc:
        raise template_error(exc, path.name) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise template_error(exc, path.name) from None
    return " ".join(text.split())


def _tidy_markdown(text: str) -> str:
    """At most one blank line in a row and one newline at the end, whatever the template's whitespace."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"

"""Use case: a new zone repository in one command: git, a data/ skeleton or the example zone, CI, pre-commit, schemas.

Everything is written into a hidden folder beside the target and renamed into place at the end, so a failure (git
missing, disk full, Ctrl-C) leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from djxz import __version__, vcs
from djxz.errors import DjxzError, UserError
from djxz.fsio import UnsafePathError, create_file
from djxz.load.jsonschema import all_schemas
from djxz.report.render import default_templates_dir

# Where the hook and the CI install djxz from. The one place to change when the project moves.
PROJECT_REPO = "https://github.com/djxz/djxz"
SKELETON = Path(__file__).resolve().parent.parent / "skeleton"
# Package data cannot reliably hold dotfiles: they are stored without the dot and renamed when written.
DOT_NAMES = {"gitignore": ".gitignore", "github": ".github", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
TEXT_SUFFIXES = (".yaml", ".yml", ".md", "")


@dataclass(frozen=True)
class InitResult:
    root: Path
    files: tuple[str, ...]
    example: bool


def example_zone_dir() -> Path:
    """The example zone shipped with djxz: inside the package when installed, the checkout's data/ otherwise."""
    packaged = SKELETON / "example"
    if (packaged / "zone.yaml").is_file():
        return packaged
    checkout = SKELETON.parent.parent / "data"  # a checkout where the skeleton/example symlink is a plain file (Windows)
    if (checkout / "zone.yaml").is_file():
        return checkout
    raise DjxzError("找不到随 djxz 发布的示例协作区：请重新安装 djxz")


def init_zone(target: Path, today: dt.date, example: bool = False) -> InitResult:
    """Create the repository at `target` (which must not exist or be empty); return what was written."""
    target = Path(os.path.abspath(target))
    if target.is_symlink():  # renaming onto it would replace the link; writing into it would land wherever it points
        raise UnsafePathError(f"拒绝写入 {target}：它是符号链接（指向 {os.readlink(target)}）。请换一个目录，或删除这个链接后重试")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(f"{target} 已存在且不是空目录：请换一个目录，djxz init 不会改动已有的文件")
    source = example_zone_dir() if example else SKELETON / "zone"
    made_parents = [p for p in reversed(target.parents) if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)
        written = _write_tree(SKELETON / "repo", work, today)
        written += _write_tree(source, work / "data", today, substitute=not example, prefix="data/")
        written += _write_schemas(work / "schemas")
        vcs.init_repo(work)
        if target.exists():
            target.rmdir()
        os.rename(work, target)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        for parent in reversed(made_parents):
            try:
                parent.rmdir()
            except OSError:
                break
        if isinstance(exc, OSError):  # a full disk names no file, a failed rename names our hidden folder
            raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
        raise
    return InitResult(target, tuple(sorted(written)), example)


def _write_tree(source: Path, dest: Path, today: dt.date, substitute: bool = True, prefix: str = "") -> list[str]:
    written = []
    for path in sorted(source.rglob("*")):
        rel_parts = path.relative_to(source).parts
        if any(part.startswith(".") or part == "__pycache__" for part in rel_parts) or not path.is_file():
            continue
        rel = "/".join(DOT_NAMES.get(part, part) for part in rel_parts)
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if substitute and path.suffix in TEXT_SUFFIXES:
            data = _fill(data.decode("utf-8"), today).encode("utf-8")
        create_file(out, data)  # a fresh private folder: O_EXCL|O_NOFOLLOW all the same
        written.append(prefix + rel)
    return written


def _fill(text: str, today: dt.date) -> str:
    values = {
        "__TODAY__": today.isoformat(),
        "__YEAR__": str(today.year),
        "__REPO__": PROJECT_REPO,
        "__VERSION__": __version__,
    }
    if "__TEMPLATE_LIST__" in text:
        values["__TEMPLATE_LIST__"] = _template_list()
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def _template_list() -> str:
    """The names of the shipped templates, for the note on overriding them."""
    try:
        names = sorted(p.name for p in default_templates_dir().iterdir() if p.is_file() and not p.name.startswith("."))
    except Exception:  # noqa: BLE001 - the note is still useful without the list
        names = []
    if not names:
        return "如有需要可向维护者索取。"
    return "有：" + "、".join(f"`{n}`" for n in names) + "。"


def _write_schemas(dest: Path) -> list[str]:
    """The editor schemas the first line of every record file points to (what `djxz schema` writes)."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in all_schemas().items():
        create_file(dest / name, json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        written.append(f"schemas/{name}")
    return written

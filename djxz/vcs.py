"""The only module that talks to git: small functions over the git binary (subprocess), raising RepoError in Chinese."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from djxz.errors import RepoError, UserError


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `git args` in `cwd`; a failure becomes a RepoError quoting git's own message."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env,
        )
    except FileNotFoundError:
        raise RepoError("找不到 git 命令：请先安装 git 并确认它在 PATH 中") from None
    except NotADirectoryError:
        raise RepoError(f"目录 {cwd} 不存在") from None
    if check and proc.returncode != 0:
        raise RepoError(explain_failure(args[0], proc.stderr or proc.stdout, proc.returncode))
    return proc


# git's messages (LC_ALL=C keeps them stable) -> what failed and what to do, in Chinese.
_GIT_FAILURES = (
    ("not a git repository", "这里不是 git 仓库", "在协作区仓库的目录中运行，或先运行 djxz init 建立仓库"),
    ("unknown revision", "找不到这个版本（分支、标签或提交）", "用 git log --oneline 或 git branch -a 查看有哪些版本，再重新运行"),
    ("bad revision", "找不到这个版本（分支、标签或提交）", "用 git log --oneline 或 git branch -a 查看有哪些版本，再重新运行"),
    ("ambiguous argument", "找不到这个版本或路径", "检查分支名、提交号或文件路径的拼写"),
    ("does not have any commits yet", "仓库里还没有任何提交", "先提交一次（git add . && git commit），再运行"),
    ("Please tell me who you are", "git 不知道提交人是谁", "请先运行 git config user.name \"姓名\" 和 git config user.email \"邮箱\""),
    ("index.lock", "另一个 git 程序正在使用这个仓库", "等它结束后重试；若确认没有 git 在运行，删除 .git/index.lock"),
    ("already exists", "同名的分支或文件已经存在", "换一个名称，或先删除已有的分支"),
    ("would be overwritten", "有尚未提交的修改会被覆盖", "先提交或暂存（git stash）这些修改，再运行"),
    ("conflict", "合并时有冲突", "按 git status 的提示解决冲突后再运行"),
    ("Permission denied", "没有权限读写仓库中的文件", "检查仓库目录的权限"),
    ("dubious ownership", "仓库属于另一个用户，git 拒绝操作", "按 git 的提示运行 git config --global --add safe.directory <仓库目录>"),
    ("nothing to commit", "没有要提交的改动", "无需提交"),
)


def explain_failure(command: str, output: str, code: int) -> str:
    """A failed git command in Chinese: what failed and what to do (git's English stays out)."""
    for needle, what, todo in _GIT_FAILURES:
        if needle in output:
            return f"git {command} 失败：{what}。{todo}"
    return f"git {command} 失败（退出码 {code}）。请在仓库目录中运行 git status 查看原因，处理后重试"


def find_repo(path: Path) -> Path | None:
    """The top directory of the git work tree containing `path`, or None when `path` is not in one."""
    start = Path(path)
    if not start.is_dir():
        start = start.parent
    proc = _git(start, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.strip()).resolve()


def repo_root(path: Path) -> Path:
    """Like `find_repo`, but not being in a repository is an error."""
    root = find_repo(path)
    if root is None:
        raise RepoError(f"{path} 不在 git 仓库中：请在协作区仓库里运行，或先用 git init 建立仓库")
    return root


def _rel(root: Path, paths: Iterable[Path | str]) -> list[str]:
    out = []
    for p in paths:
        full = Path(p) if Path(p).is_absolute() else root / p
        try:
            out.append(full.resolve().relative_to(root).as_posix())
        except ValueError:
            raise RepoError(f"{full} 不在仓库 {root} 中") from None
    return out


def dirty_paths(root: Path, paths: Iterable[Path | str]) -> list[str]:
    """Which of `paths` (absolute or relative to `root`) differ from HEAD: modified, staged, deleted or untracked."""
    rels = _rel(root, paths)
    if not rels:
        return []
    proc = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *rels)
    out = []
    entries = proc.stdout.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, name = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            i += 1  # a rename is followed by its old name
        out.append(name)
    return sorted(set(out))


def is_dirty(root: Path, paths: Iterable[Path | str]) -> bool:
    return bool(dirty_paths(root, paths))


def current_branch(root: Path) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    proc = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def branch_exists(root: Path, name: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}", check=False).returncode == 0


def check_branch_name(root: Path, name: str) -> None:
    if _git(root, "check-ref-format", "--branch", name, check=False).returncode != 0:
        raise RepoError(f"“{name}”不是有效的分支名")


def create_branch(root: Path, name: str) -> None:
    """Create branch `name` at HEAD and switch to it; uncommitted changes elsewhere are carried along untouched."""
    check_branch_name(root, name)
    if branch_exists(root, name):
        raise RepoError(f"分支 {name} 已经存在：请先处理它（合并或删除），或用 --branch 指定另一个分支名")
    _git(root, "switch", "--quiet", "-c", name)


def switch_branch(root: Path, name: str) -> None:
    if not branch_exists(root, name):
        raise RepoError(f"分支 {name} 不存在")
    _git(root, "switch", "--quiet", name)


def busy_reason(root: Path) -> str | None:
    """Why the repository cannot take a new branch and commit now, in Chinese; None when it can.

    Another git at work (index.lock), a merge, rebase, cherry-pick or revert not finished, files in conflict, or no
    branch checked out (a detached HEAD): in each, a command that branches and commits would leave a tangle.
    """
    names = ("index.lock", "MERGE_HEAD", "rebase-merge", "rebase-apply", "CHERRY_PICK_HEAD", "REVERT_HEAD")
    args = [a for n in names for a in ("--git-path", n)]
    paths = _git(root, "rev-parse", *args).stdout.splitlines()
    found = {n: (root / p if not Path(p).is_absolute() else Path(p)) for n, p in zip(names, paths)}
    if found["index.lock"].exists():
        return (f"git 仓库被锁定：{found['index.lock']} 存在。可能另一个 git 命令正在运行；"
                "如果没有，那是上次异常退出留下的，删除这个文件后重试")
    if found["MERGE_HEAD"].exists():
        return "仓库正在合并分支（merge），还没有完成：请先解决冲突并提交（git commit），或放弃合并（git merge --abort）"
    if found["rebase-merge"].exists() or found["rebase-apply"].exists():
        return "仓库正在变基（rebase），还没有完成：请先完成（git rebase --continue）或放弃（git rebase --abort）"
    if found["CHERRY_PICK_HEAD"].exists():
        return "仓库正在挑选提交（cherry-pick），还没有完成：请先完成（git cherry-pick --continue）或放弃（git cherry-pick --abort）"
    if found["REVERT_HEAD"].exists():
        return "仓库正在撤销提交（revert），还没有完成：请先完成（git revert --continue）或放弃（git revert --abort）"
    conflicted = sorted({line.split("\t", 1)[-1] for line in _git(root, "ls-files", "--unmerged").stdout.splitlines() if line})
    if conflicted:
        return f"仓库中有未解决冲突的文件：{'、'.join(conflicted)}。请先解决冲突并提交"
    if has_commits(root) and current_branch(root) is None:
        return "当前没有检出任何分支（HEAD 处于分离状态）：请先切换到主分支（如 git switch main）再运行"
    return None


def unstage(root: Path, paths: Sequence[Path | str]) -> None:
    """Put `paths` in the index back as they are in HEAD (not in it: taken out of the index). The files are left alone."""
    rels = _rel(root, paths)
    if not rels:
        return
    if has_commits(root):
        _git(root, "reset", "--quiet", "--", *rels)
    else:
        _git(root, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *rels)


def delete_branch(root: Path, name: str) -> None:
    _git(root, "branch", "--quiet", "-D", name)


def has_commits(root: Path) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0


def head_commit(root: Path) -> str:
    return _git(root, "rev-parse", "HEAD").stdout.strip()


def commit_paths(root: Path, paths: Sequence[Path | str], message: str) -> str:
    """Stage and commit exactly `paths` (nothing else that may be staged), with `message`; return the new commit id."""
    rels = _rel(root, paths)
    if not rels:
        raise RepoError("没有要提交的文件")
    _git(root, "add", "--", *rels)
    proc = _git(root, "commit", "--quiet", "-m", message, "--only", "--", *rels, check=False)
    if proc.returncode != 0:
        text = (proc.stderr or proc.stdout).strip()
        if "Please tell me who you are" in text or "user.email" in text:
            raise RepoError("git 不知道提交人是谁：请先运行 git config user.name \"姓名\" 和 git config user.email \"邮箱\"")
        raise RepoError(explain_failure("commit", text, proc.returncode))
    return head_commit(root)


def changed_in_commit(root: Path, commit: str = "HEAD") -> list[str]:
    """The paths a commit touched, relative to the repository root."""
    proc = _git(root, "show", "--name-only", "--format=", "-z", commit)
    return sorted(p for p in proc.stdout.split("\0") if p.strip())


# ---------------------------------------------------------------- reading versions of a zone (djxz diff, log, check --changed)

@dataclass(frozen=True)
class PathCommit:
    """One commit that touched a file: who, when, why, and the file's path then and in the parent (renames)."""

    commit: str
    author: str
    email: str
    date: str
    subject: str
    status: str
    path: str
    old_path: str


def _git_bytes(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Like `_git`, for output that is file contents: stdout as bytes, stdin fed in one go."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=env)
    except FileNotFoundError:
        raise RepoError("找不到 git 命令：请先安装 git 并确认它在 PATH 中") from None
    if proc.returncode != 0:
        raise RepoError(explain_failure(args[0], proc.stderr.decode("utf-8", "replace"), proc.returncode))
    return proc.stdout


def relative_to_repo(repo: Path, path: Path) -> str:
    """`path` relative to the repository top, posix, '' for the top itself."""
    rel = Path(path).resolve().relative_to(Path(repo).resolve()).as_posix()
    return "" if rel == "." else rel


def resolve_rev(repo: Path, rev: str) -> str:
    """The commit id of a revision (branch, tag, sha, HEAD~2); UserError when there is none."""
    proc = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise UserError(f"找不到版本“{rev}”：请写分支名、标签或提交号")
    return proc.stdout.strip()


def main_branch(repo: Path) -> str:
    """The branch a change is reviewed against: main, else master, else origin/HEAD (or origin/main, origin/master)."""
    for name, ref in (("main", "refs/heads/main"), ("master", "refs/heads/master"), ("origin/HEAD", "refs/remotes/origin/HEAD"),
                      ("origin/main", "refs/remotes/origin/main"), ("origin/master", "refs/remotes/origin/master")):
        if _git(repo, "rev-parse", "--verify", "--quiet", ref, check=False).returncode == 0:
            return name
    raise RepoError("找不到主分支（main、master 或 origin/HEAD）：请用 --base 指定比较的起点")


def merge_base(repo: Path, a: str, b: str) -> str:
    """The newest common ancestor of two revisions."""
    proc = _git(repo, "merge-base", a, b, check=False)
    if proc.returncode != 0:
        raise RepoError(f"{a} 与 {b} 没有共同的祖先提交：请用 --base 指定比较的起点")
    return proc.stdout.strip()


def list_tree(repo: Path, rev: str, prefix: str = "") -> dict[str, str]:
    """The files of `prefix` at `rev`: path relative to `prefix` -> blob id. Read from git objects, nothing checked out."""
    args = ["ls-tree", "-r", "-z", "--full-tree", rev]
    if prefix:
        args += ["--", prefix]
    out: dict[str, str] = {}
    start = f"{prefix}/" if prefix else ""
    for entry in _git_bytes(repo, *args).split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        _mode, kind, oid = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if kind == "blob" and path.startswith(start):
            out[path[len(start):]] = oid
    return out


def read_blobs(repo: Path, names: list[str]) -> dict[str, bytes | None]:
    """Contents of many objects in one `git cat-file --batch` (blob ids or `rev:path`); None for a missing one."""
    if not names:
        return {}
    wanted = list(dict.fromkeys(names))
    if any("\n" in n for n in wanted):
        raise RepoError("对象名中不能有换行")
    out_bytes = _git_bytes(repo, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode("utf-8", "surrogateescape"))
    result: dict[str, bytes | None] = {}
    pos = 0
    for name in wanted:
        end = out_bytes.index(b"\n", pos)
        header = out_bytes[pos:end].decode("utf-8", "surrogateescape")
        pos = end + 1
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            result[name] = None
            continue
        size = int(header.rsplit(" ", 1)[1])
        result[name] = out_bytes[pos:pos + size]
        pos += size + 1
    return result


def changed_paths(repo: Path, base: str, head: str | None = None) -> list[str]:
    """Repository paths that differ between `base` and `head` (default: the working tree, untracked files included)."""
    args = ["diff", "--name-only", "--no-renames", "-z", base] + ([head] if head else [])
    paths = _git_bytes(repo, *args).split(b"\0")
    if head is None:
        paths += _git_bytes(repo, "ls-files", "--others", "--exclude-standard", "-z").split(b"\0")
    return sorted({p.decode("utf-8", "surrogateescape") for p in paths if p})


def path_log(repo: Path, path: str) -> list[PathCommit]:
    """Every commit that touched one file, newest first, following renames."""
    fmt = "%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s"
    raw = _git_bytes(repo, "log", "--follow", f"--format={fmt}", "--name-status", "-z", "--", path)
    out: list[PathCommit] = []
    for chunk in raw.decode("utf-8", "surrogateescape").split("\x1e"):
        if not chunk.strip():
            continue
        header, _, rest = chunk.partition("\0")
        commit, author, email, date, subject = header.split("\x1f", 4)
        tokens = [t for t in rest.lstrip("\n").split("\0") if t]
        status = tokens[0] if tokens else "M"
        if status[:1] in ("R", "C") and len(tokens) >= 3:
            old, new = tokens[1], tokens[2]
        else:
            old = new = tokens[1] if len(tokens) > 1 else path
        out.append(PathCommit(commit, author, email, date, subject, status[:1], new, old))
    return out


def init_repo(path: Path) -> None:
    """`git init` with main as the first branch."""
    _git(Path(path), "init", "--quiet", "--initial-branch=main")

"""Loading a zone as it is in a git revision (from git objects, nothing checked out) or in the working tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from djxz import vcs
from djxz.load.loader import Loaded, kind_of_path, loaded_from_bytes, zone_files


@dataclass(frozen=True)
class Version:
    """Which version of the zone: a git revision, or None for the working tree; `label` is what a reader sees."""

    rev: str | None
    label: str


def resolve_versions(root: Path, base: str | None, head: str | None) -> tuple[Path, str, Version, Version]:
    """(repo top, zone dir inside the repo, base version, head version). Default base: the merge base with main."""
    repo = vcs.repo_root(root)
    prefix = vcs.relative_to_repo(repo, root)
    head_version = Version(vcs.resolve_rev(repo, head), head) if head else Version(None, "工作区")
    if base:
        base_version = Version(vcs.resolve_rev(repo, base), base)
    else:
        branch = vcs.main_branch(repo)
        base_version = Version(vcs.merge_base(repo, branch, head_version.rev or "HEAD"), f"{branch} 的合并基点")
    return repo, prefix, base_version, head_version


def load_version(root: Path, repo: Path, prefix: str, version: Version) -> Loaded:
    """The zone as it is in `version`: from git objects (ls-tree + one cat-file batch), or from disk for the working
    tree. Clean files are read without positions: a caller that shows positions asks for them (Record.at) or reads
    the files it cites again (Loaded.with_positions)."""
    if version.rev is None:
        return Loaded(root, *zone_files(root))
    tree = vcs.list_tree(repo, version.rev, prefix)
    wanted = {rel: oid for rel, oid in tree.items() if kind_of_path(rel)}
    blobs = vcs.read_blobs(repo, list(wanted.values()))
    return loaded_from_bytes(root, {rel: blobs[oid] for rel, oid in wanted.items() if blobs.get(oid) is not None})

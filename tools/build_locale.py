"""Write djxz/locale/zh_CN/LC_MESSAGES/messages.mo from djxz.cli.zh.CATALOGUE (run after changing the catalogue)."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from djxz.cli.zh import CATALOGUE, LOCALE_DIR  # noqa: E402


def mo_bytes(catalogue: dict[str, str]) -> bytes:
    """A GNU .mo file (the format `gettext.GNUTranslations` reads), with a UTF-8 header entry."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **catalogue}
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    n = len(keys)
    key_table, value_table = 7 * 4, 7 * 4 + n * 8
    offset = value_table + n * 8
    id_blob, str_blob, id_offsets, str_offsets = b"", b"", [], []
    for item in ids:
        id_offsets.append((len(item), offset + len(id_blob)))
        id_blob += item + b"\0"
    start = offset + len(id_blob)
    for item in strs:
        str_offsets.append((len(item), start + len(str_blob)))
        str_blob += item + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, n, key_table, value_table, 0, 0)
    tables = b"".join(struct.pack("<2I", *o) for o in id_offsets) + b"".join(struct.pack("<2I", *o) for o in str_offsets)
    return header + tables + id_blob + str_blob


def main() -> None:
    target = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(mo_bytes(CATALOGUE))
    print(target)


if __name__ == "__main__":
    main()

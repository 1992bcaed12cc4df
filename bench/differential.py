"""The fast path's differential test on the full bench zone: both read paths over every file, the same records and
byte-identical diagnostics (tests/test_fast_path.py runs it on a small generated zone; this one takes half a minute).

    python bench/differential.py [ZONE]     # without ZONE, generates the bench zone in a temporary folder

On a machine with two cores or more the check's reading takes the two-process road (djxz/load/fastpool.py), so the
comparison covers it too. Exits 1 when the paths disagree.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from generate import generate  # noqa: E402
from test_fast_path import compare  # noqa: E402 - the differential test's own comparison

from djxz.load.loader import zone_files  # noqa: E402


def main() -> int:
    if len(sys.argv) > 1:
        zone = Path(sys.argv[1])
    else:
        zone = Path(tempfile.mkdtemp(prefix="djxz-diff-")) / "data"
        generate(zone, 50, 10, 2000)
    total = len(zone_files(zone)[0])
    start = time.perf_counter()
    try:
        fast = compare(zone)
    except AssertionError as exc:
        print(f"differential: the two read paths disagree on {zone}: {exc}", file=sys.stderr)
        return 1
    print(f"differential on {total} files ({os.cpu_count()} cores): {fast} read on the fast path; records and "
          f"diagnostics identical to the positional path ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

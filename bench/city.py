"""Benchmark `djxz city` over many copies of the large zone against the sum of their single-zone reports.

    python bench/city.py [--copies 10] [--units 50 --years 10 --per-year 2000] [--runs 3] [--out bench/CITY.md]

Target (issue 20): `djxz city` over N zones costs at most 1.2x the sum of N warm `djxz brief --annual` runs, each
zone's check cached. Both sides are measured in the same run, warm (each zone checked once first), as medians.
Peak memory is reported too: `city` keeps one zone in memory at a time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import BIN, measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="djxz-city-bench-"))
    env = {"XDG_CACHE_HOME": str(work / "cache"), "PATH": str(BIN) + ":/usr/bin:/bin", "COLUMNS": "120"}
    try:
        first = work / "zone-1"
        generate(first, units=args.units, years=args.years, per_year=args.per_year)
        zones = [first]
        for i in range(2, args.copies + 1):
            target = work / f"zone-{i}"
            shutil.copytree(first, target)
            text = (target / "zone.yaml").read_text(encoding="utf-8")
            (target / "zone.yaml").write_text(text.replace("name: ", f"name: 第{i}", 1), encoding="utf-8")
            zones.append(target)
        year = 2016 + args.years - 1  # the generator's last year (its first is 2016)
        djxz = str(BIN / "djxz")
        for z in zones:  # warm every zone's cache once
            measure([djxz, "check", "--zone", str(z)], 1, env)
        singles = [measure([djxz, "brief", "--annual", "--year", str(year), "--zone", str(z), "--out", str(work / "out")],
                           args.runs, env) for z in zones]
        city = measure([djxz, "city", *map(str, zones), "--year", str(year), "--out", str(work / "out")], args.runs, env)
        total = sum(s["median"] for s in singles)
        lines = [
            f"# `djxz city` over {args.copies} copies of the large zone ({args.units} units, {args.years} years x "
            f"{args.per_year} activities each)",
            "",
            "| what | median wall time | peak RSS |",
            "|---|---:|---:|",
            f"| sum of {args.copies} warm `brief --annual` | {total:.2f} s | {max(s['peak_mb'] or 0 for s in singles):.0f} MB (one) |",
            f"| `city` over the {args.copies} zones | {city['median']:.2f} s | {city['peak_mb'] or 0:.0f} MB |",
            "",
            f"Ratio city / sum: **{city['median'] / total:.2f}x** (target at most 1.2x).",
        ]
        text = "\n".join(lines) + "\n"
        print(text)
        if args.out:
            args.out.write_text(text, encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

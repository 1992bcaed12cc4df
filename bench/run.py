"""Benchmark djxz on a large generated zone, each figure beside its peers measured in the same run.

    python bench/run.py [--runs 5] [--units 50 --years 10 --per-year 2000] [--out bench/RESULTS.md]

Prints a Markdown table of medians (wall time, peak memory) and writes it to --out with the machine's description.
Peers: `python -c pass`, `python -c "import typer"`, yamllint (relaxed), check-jsonschema (djxz's own schemas), and the
floor (read every byte; a C parse of every file). Commands that are not installed are reported as such, not skipped
silently.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
TIME = shutil.which("time") or "/usr/bin/time"

FLOOR_READ = """
import os, sys
n = 0
for dirpath, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith('.yaml'):
            with open(os.path.join(dirpath, name), 'rb') as fh:
                n += len(fh.read())
"""
FLOOR_PARSE = """
import os, sys, yaml
for dirpath, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith('.yaml'):
            with open(os.path.join(dirpath, name), 'rb') as fh:
                yaml.compose(fh.read(), Loader=yaml.CSafeLoader)
"""


def measure(cmd: list[str], runs: int, env: dict[str, str], before=None, cwd: Path | None = None) -> dict:
    """Median wall time and the largest peak RSS over `runs`; `before` runs untimed before each run (e.g. drop a cache)."""
    times, cpus, peaks, code = [], [], [], 0
    use_time = os.path.exists(TIME)
    for _ in range(runs):
        if before:
            before()
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
            full = [TIME, "-f", "%M %U %S", "-o", rss.name, *cmd] if use_time else cmd
            start = time.perf_counter()
            proc = subprocess.run(full, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            times.append(time.perf_counter() - start)
            code = proc.returncode
            if use_time:
                try:
                    peak, user, system = rss.read().strip().splitlines()[-1].split()
                    peaks.append(int(peak) / 1024)
                    cpus.append(float(user) + float(system))
                except (ValueError, IndexError):
                    pass
    return {"median": statistics.median(times), "min": min(times), "peak_mb": max(peaks) if peaks else None, "exit": code,
            "cpu": statistics.median(cpus) if cpus else None}


def git_zone(zone: Path, env: dict[str, str]) -> Path:
    """A git repository holding the large zone on main, and a branch that adds, changes and deletes records."""
    repo = zone.parent
    run = lambda *a: subprocess.run(["git", *a], cwd=repo, env=env, check=True, capture_output=True)  # noqa: E731
    run("init", "-q", "-b", "main")
    run("add", "-A")
    run("commit", "-q", "-m", "large zone")
    run("checkout", "-q", "-b", "change")
    acts = sorted((zone / "activities").rglob("*.yaml"))
    for path in acts[:20]:
        path.unlink()
    for path in acts[20:40]:
        path.write_text(path.read_text(encoding="utf-8").replace("attendance:", "attendance: 1\n# was:"), encoding="utf-8")
    run("add", "-A")
    run("commit", "-q", "-m", "change")
    return repo


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def targets(rows: list[tuple[str, str, dict | None]]) -> list[str]:
    """The issue's targets as ratios of figures measured in this same run; the reasons for misses are in README.md."""
    med = {name: r["median"] for _, name, r in rows if r}
    cpu = {name: r["cpu"] for _, name, r in rows if r and r.get("cpu")}
    peak = max((r["peak_mb"] or 0) for _, _, r in rows if r and r["exit"] == 0)

    def get(prefix: str, table: dict = med) -> float | None:
        return next((v for k, v in table.items() if k.startswith(prefix)), None)

    def cpu_ratio(a: str, b: str) -> str:
        x, y = get(a, cpu), get(b, cpu)
        return f"; CPU time {x / y:.2f}x" if x and y else ""

    checks = []
    cold, warm, typer_ = get("`djxz check` cold"), get("`djxz check` warm"), get("`python -c \"import typer\"`")
    floor, who = get("floor: libyaml compose"), get("`djxz who`")
    brief10, brief1 = get("`djxz brief --half-year --format md` (warm)"), get("`djxz brief --half-year --format md` on a 1-year")
    lint, schema = get("yamllint"), get("check-jsonschema")
    if cold is not None and floor:
        checks.append(("`djxz check` cold <= 1.2x the libyaml compose floor", f"{cold / floor:.2f}x ({cold:.2f} s / {floor:.2f} s)"
                       + cpu_ratio("`djxz check` cold", "floor: libyaml compose"),
                       cold / floor <= 1.2))
    if brief10 is not None and brief1:
        checks.append(("warm `brief --half-year`: 10-year zone <= 1.5x 1-year zone",
                       f"{brief10 / brief1:.2f}x ({brief10:.2f} s / {brief1:.2f} s)"
                       + cpu_ratio("`djxz brief --half-year --format md` (warm)", "`djxz brief --half-year --format md` on a 1-year"),
                       brief10 / brief1 <= 1.5))
    if who and typer_:
        checks.append(("`djxz who` <= 2x `import typer`", f"{who / typer_:.2f}x ({who:.3f} s / {typer_:.3f} s)"
                       + cpu_ratio("`djxz who`", "`python -c \"import typer\"`"), who / typer_ <= 2))
    checks.append(("peak memory < 300 MB (every command)", f"{peak:.0f} MB", peak < 300))
    if lint and cold and warm:
        checks.append(("(issue 7) check faster than yamllint", f"{lint / cold:.0f}x cold, {lint / warm:.0f}x warm", lint / cold >= 20))
    if schema and cold:
        checks.append(("(issue 7) check faster than check-jsonschema", f"{schema / cold:.0f}x cold", schema / cold >= 5))
    out = ["## Targets (issue 21)", "", "| target | this run | met |", "|---|---|---|"]
    out += [f"| {what} | {value} | {'yes' if ok else 'no'} |" for what, value, ok in checks]
    return out + ["", *why()]


def why() -> list[str]:
    """The reasons for the misses, kept with the benchmark's instructions in bench/README.md and repeated here."""
    text = (HERE / "README.md").read_text(encoding="utf-8")
    start = text.find("## Where the time goes")
    return text[start:].rstrip().replace("## ", "### ", 1).splitlines() if start >= 0 else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--djxz", default=str(BIN / "djxz"), help="the djxz to measure (e.g. another checkout's venv)")
    parser.add_argument("--no-peers", action="store_true", help="skip yamllint and check-jsonschema (minutes each)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="djxz-bench-"))
    zone = work / "repo" / "data"
    files = generate(zone, args.units, args.years, args.per_year)
    cache = work / "cache"
    env = {**os.environ, "DJXZ_CACHE_DIR": str(cache), "DJXZ_TODAY": f"{2016 + args.years - 1}-08-15",
           "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org", "NO_COLOR": "1"}
    # A pip install compiles djxz to bytecode; a PYTHONDONTWRITEBYTECODE inherited from a CI or a sandbox would make
    # every measured run compile changed modules afresh, which no user's run does. The warm-up runs write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    djxz = args.djxz
    one = work / "one" / "data"
    generate(one, args.units, 1, args.per_year)
    env_one = {**env, "DJXZ_TODAY": "2016-08-15"}
    drop_cache = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    out_dir = work / "out"
    rows: list[tuple[str, str, dict | None]] = []

    def row(group: str, name: str, cmd: list[str] | None, before=None, cwd: Path | None = None, warmup: bool = False,
            env_: dict[str, str] | None = None) -> None:
        env_ = env_ or env
        if cmd is None or not (shutil.which(cmd[0]) or os.path.exists(cmd[0])):
            rows.append((group, name, None))
            print(f"{name}: not available", file=sys.stderr)
            return
        if warmup:
            subprocess.run(cmd, env=env_, cwd=cwd, capture_output=True)
        result = measure(cmd, args.runs, env_, before, cwd)
        rows.append((group, name, result))
        print(f"{name}: {result['median']:.3f} s", file=sys.stderr)

    py = sys.executable
    row("start-up", "`python -c pass`", [py, "-c", "pass"], warmup=True)
    row("start-up", "`python -c \"import typer\"`", [py, "-c", "import typer"], warmup=True)
    row("start-up", "`djxz --version`", [djxz, "--version"], warmup=True)
    row("start-up", "`djxz who`", [djxz, "who", "--zone", str(zone)], warmup=True)

    row("check", "floor: read every byte", [py, "-c", FLOOR_READ, str(zone)])
    row("check", "floor: libyaml compose of every file", [py, "-c", FLOOR_PARSE, str(zone)])
    row("check", "`djxz check` cold (no cache)", [djxz, "check", "--zone", str(zone)], before=drop_cache)
    row("check", "`djxz check` warm (cache)", [djxz, "check", "--zone", str(zone)], warmup=True)
    if not args.no_peers:
        yamllint_cfg = work / "yamllint.yaml"
        yamllint_cfg.write_text("extends: relaxed\n", encoding="utf-8")
        row("check", "yamllint (relaxed) on the same files", [str(BIN / "yamllint"), "-c", str(yamllint_cfg), str(zone)])
        schemas = work / "schemas"
        subprocess.run([djxz, "schema", "-o", str(schemas)], env=env, capture_output=True)
        acts = sorted(str(p) for p in (zone / "activities").rglob("*.yaml"))
        row("check", f"check-jsonschema, activity schema, all {len(acts)} activity files",
            [str(BIN / "check-jsonschema"), "--schemafile", str(schemas / "activity.schema.json"), *acts])

    row("commands", "`djxz status` (warm)", [djxz, "status", "--zone", str(zone)], warmup=True)
    row("commands", "`djxz brief --half-year --format md` (warm)",
        [djxz, "brief", "--half-year", "--format", "md", "--zone", str(zone), "--out", str(out_dir)], warmup=True)
    row("commands", "`djxz brief --half-year --format md,docx` (warm)",
        [djxz, "brief", "--half-year", "--format", "md,docx", "--zone", str(zone), "--out", str(out_dir)], warmup=True)
    row("commands", "`djxz brief --half-year --format md` on a 1-year zone (warm)",
        [djxz, "brief", "--half-year", "--format", "md", "--zone", str(one), "--out", str(out_dir)], warmup=True, env_=env_one)
    row("commands", "`djxz who` on a 1-year zone", [djxz, "who", "--zone", str(one)], warmup=True, env_=env_one)
    # The fast path's differential test on this zone (bench/differential.py), with the djxz this Python imports.
    proc = subprocess.run([py, str(HERE / "differential.py"), str(zone)], env=env, capture_output=True, text=True)
    said = (proc.stdout + proc.stderr).strip().splitlines() or ["no output"]
    differential = said[-1] if proc.returncode == 0 else f"FAILED: {said[-1]}"
    print(differential, file=sys.stderr)
    repo = git_zone(zone, env)
    row("commands", "`djxz diff main change` (40 records changed)", [djxz, "diff", "main", "change", "--zone", str(zone)], cwd=repo, warmup=True)

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        f"Zone: {args.units} units, {args.years} years x {args.per_year} activities = {files} files (bench/generate.py);"
        f" the 1-year zone: {args.units} units, 1 year x {args.per_year} activities.",
        f"djxz measured: {djxz}.",
        f"Each figure is the median of {args.runs} runs (wall clock, whole process; CPU = user + system time, which moves less"
        f" than wall time on a shared machine); peak memory is the largest maximum RSS.",
        "Made by `python bench/run.py`; the machine is shared, so figures move by 10-20 % between runs.",
        "",
        "| group | what | median (s) | min (s) | CPU (s) | peak MB | exit |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for group, name, result in rows:
        if result is None:
            lines.append(f"| {group} | {name} | not available | | | | |")
        else:
            peak = f"{result['peak_mb']:.0f}" if result["peak_mb"] else ""
            cpu_s = f"{result['cpu']:.3f}" if result.get("cpu") is not None else ""
            lines.append(f"| {group} | {name} | {result['median']:.3f} | {result['min']:.3f} | {cpu_s} | {peak} | {result['exit']} |")
    lines += ["", f"Differential test of the read paths (bench/differential.py): {differential}.", "", *targets(rows)]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

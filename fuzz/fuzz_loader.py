"""Atheris (libFuzzer) harness for the loader: any bytes, as any kind of zone file, must become a record or diagnostics.

Every input is read the way the loader reads a file (size limit, encodings, libyaml composition, the structure checks)
and, when it composes, converted as each of the six file kinds. Anything but a Diagnostic is a finding: an exception
escaping, a diagnostic without a DJX code, a line number outside the input. See fuzz/README.md (in Chinese).
"""

from __future__ import annotations

import sys

try:
    import atheris
except ImportError:  # the property itself needs no atheris: tests run check() on the inputs saved in regressions/
    atheris = None

if atheris is not None:
    with atheris.instrument_imports(include=["djxz"]):  # coverage feedback from djxz's own code
        from djxz.load import schema
        from djxz.load.loader import parse_record
else:
    from djxz.load import schema
    from djxz.load.loader import parse_record

KINDS = sorted(schema.FILE_SPECS)


def check(data: bytes) -> None:
    """The property, on one input (also what a regression test calls with a saved crash file)."""
    rel = "fuzz/input.yaml"
    lines = data.count(b"\n") + 1
    found = []
    for kind in KINDS:
        record, diagnostics = parse_record(data, rel, kind)
        found += diagnostics
        if record is None and not any(d.code >= "DJX010" for d in diagnostics):
            break  # it did not even compose: the same for every kind
    for d in found:
        assert d.code.startswith("DJX") and d.severity in ("error", "warning"), d
        assert d.src is not None and d.src.path == rel, d
        assert 0 <= d.src.line <= lines, (d, lines)
        assert d.message, d


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris calls
    check(data)


def main() -> None:
    if atheris is None:
        sys.exit("需要 atheris：pip install atheris（见 fuzz/README.md）")
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""Coverage-guided fuzzing (atheris) of the JWT parser, the decoder and the detector.

    pip install atheris
    python fuzz/fuzz_jwtscan.py -max_total_time=300 fuzz/.corpus fuzz/seeds

New inputs go to fuzz/.corpus (ignored by git); fuzz/seeds holds the committed starting points.

Any exception is a crash that libFuzzer records (crash-* files); the target also checks the
detector's invariants: a finding lies inside the text, and its secret is what the text holds there.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from scanner.detect.engine import detect
    from scanner.detect.jwt import parse
    from scanner.detect.loader import load_ruleset
    from scanner.findings import Fragment
    from scanner.sources.content import decode

RULESET = load_ruleset()
PATHS = ("config/.env", "src/auth.js", "app/settings.py", "application.yml", "Program.cs")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    path = PATHS[provider.ConsumeIntInRange(0, len(PATHS) - 1)]
    raw = provider.ConsumeBytes(provider.remaining_bytes())
    parse(raw.decode("latin-1"))
    text = decode(raw)
    if text is None:
        return
    lines = text.split("\n")
    for finding in detect(Fragment(path, text), RULESET):
        if finding.line is None or finding.column is None or not finding.secret:
            continue
        assert 1 <= finding.line <= len(lines), finding
        line = lines[finding.line - 1]
        if "\n" not in finding.secret:
            start = finding.column - 1
            assert line[start : start + len(finding.secret)] == finding.secret, finding


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

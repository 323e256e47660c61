"""Recall and precision per kind on the labelled corpus in benchmarks/corpus.

    python -m benchmarks.accuracy [--verbose] [--check]

The corpus was written from the coverage list before the rules; random-looking values are
markers expanded with seeded fakes (benchmarks/fakes.py). A finding matches a label when path,
line and kind agree; a finding on a labelled line with another kind counts against both.
Only the kinds the corpus labels are scored (weak-secret, hardcoded-secret, private-key,
insecure-verification). An insecure-verification label may span lines (``end_line``): a
finding of kind jwt-insecure-verification anywhere in [line, end_line] matches it, and several
findings in one span count once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.fakes import materialize
from scanner.analyse.crossfile import FolderTree, resolve
from scanner.detect.driver import scan
from scanner.detect.loader import load_ruleset
from scanner.findings import Finding
from scanner.sources.content import DEFAULT_MAX_FILE_SIZE
from scanner.sources.tree import read_files, resolve_target

CORPUS = Path(__file__).parent / "corpus"
TARGET = 0.97
_META = ("labels.yaml", "README.md")

Key = tuple[str, int, str]  # path, line, kind

# Finding kinds whose label kind in labels.yaml is spelt differently.
FINDING_KINDS = {"jwt-insecure-verification": "insecure-verification"}


@dataclass(frozen=True, slots=True)
class Score:
    kind: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def recall(self) -> float:
        found = self.true_positives + self.false_negatives
        return self.true_positives / found if found else 1.0

    @property
    def precision(self) -> float:
        reported = self.true_positives + self.false_positives
        return self.true_positives / reported if reported else 1.0


def _entries(corpus: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = yaml.safe_load(
        (corpus / "labels.yaml").read_text(encoding="utf-8")
    )
    return entries


def labels(corpus: Path = CORPUS) -> set[Key]:
    return {(str(e["path"]), int(str(e["line"])), str(e["kind"])) for e in _entries(corpus)}


def ends(corpus: Path = CORPUS) -> dict[Key, int]:
    """Last line of every label that spans several lines (``end_line``), by label."""
    return {
        (str(e["path"]), int(str(e["line"])), str(e["kind"])): int(str(e["end_line"]))
        for e in _entries(corpus)
        if "end_line" in e
    }


def label_kind(finding: Finding) -> str:
    """The label kind a finding is scored as."""
    return FINDING_KINDS.get(finding.kind, finding.kind)


def _matches(expected: set[Key], reported: set[Key], spans: Mapping[Key, int]) -> set[Key]:
    """Reported keys that fall on a label of their kind (its line, or inside its span)."""
    matched: set[Key] = set()
    for path, line, kind in expected:
        last = spans.get((path, line, kind), line)
        matched |= {r for r in reported if r[0] == path and r[2] == kind and line <= r[1] <= last}
    return matched


def _found(expected: set[Key], reported: set[Key], spans: Mapping[Key, int]) -> set[Key]:
    """Labels with at least one reported key on their line or inside their span."""
    return {
        (path, line, kind)
        for path, line, kind in expected
        if any(
            r[0] == path and r[2] == kind and line <= r[1] <= spans.get((path, line, kind), line)
            for r in reported
        )
    }


def findings(corpus: Path = CORPUS) -> tuple[Finding, ...]:
    with tempfile.TemporaryDirectory(prefix="jwtscan-corpus-") as tmp:
        root = Path(tmp)
        materialize(corpus, root)
        for name in _META:
            (root / name).unlink(missing_ok=True)
        target = resolve_target([root], [])
        ruleset = load_ruleset()
        # As a tree scan does: the per-file pass, then keys used from other modules.
        result = scan(read_files(target, DEFAULT_MAX_FILE_SIZE), ruleset, sinks=True)
        tree = FolderTree(target.root, target.files)
        return resolve(result.findings, result.sinks, ruleset, lambda _: tree)


def reported_keys(expected: set[Key], found: Sequence[Finding]) -> set[Key]:
    labelled = {kind for _, _, kind in expected}
    return {(f.path, f.line or 0, label_kind(f)) for f in found if label_kind(f) in labelled}


def score(
    expected: set[Key], found: Sequence[Finding], spans: Mapping[Key, int] | None = None
) -> list[Score]:
    """Per-kind scores over the kinds the corpus labels (other kinds are out of its scope).

    ``spans`` gives the last line of labels that cover several lines; without it every label
    covers its own line only.
    """
    spans = spans or {}
    reported = reported_keys(expected, found)
    matched = _matches(expected, reported, spans)
    hit = _found(expected, reported, spans)
    kinds = sorted({k for _, _, k in expected | reported})
    return [
        Score(
            kind,
            len({k for k in hit if k[2] == kind}),
            len({k for k in reported - matched if k[2] == kind}),
            len({k for k in expected - hit if k[2] == kind}),
        )
        for kind in kinds
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET}")
    args = parser.parse_args(argv)
    expected = labels()
    spans = ends()
    found = findings()
    scores = score(expected, found, spans)
    total = Score(
        "all",
        sum(s.true_positives for s in scores),
        sum(s.false_positives for s in scores),
        sum(s.false_negatives for s in scores),
    )
    header = ("kind", "labels", "TP", "FP", "FN", "recall", "precision")
    print("{:<18} {:>6} {:>5} {:>5} {:>5} {:>7} {:>9}".format(*header))
    for s in [*scores, total]:
        labelled = s.true_positives + s.false_negatives
        print(
            f"{s.kind:<18} {labelled:>6} {s.true_positives:>5} {s.false_positives:>5} "
            f"{s.false_negatives:>5} {s.recall:>7.3f} {s.precision:>9.3f}"
        )
    if args.verbose:
        kinds = {kind for _, _, kind in expected}
        reported = {
            (f.path, f.line or 0, label_kind(f)): f for f in found if label_kind(f) in kinds
        }
        for key in sorted(expected - _found(expected, set(reported), spans)):
            print(f"MISS  {key[0]}:{key[1]} {key[2]}")
        for key in sorted(set(reported) - _matches(expected, set(reported), spans)):
            print(
                f"FALSE {key[0]}:{key[1]} {key[2]} [{reported[key].rule_id}] "
                f"{reported[key].message}"
            )
    below = [s for s in [*scores, total] if s.recall < TARGET or s.precision < TARGET]
    return 1 if args.check and below else 0


if __name__ == "__main__":
    sys.exit(main())

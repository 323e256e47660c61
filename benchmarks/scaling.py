"""Whether a file's cost grows with its length: each rule's examples, repeated in one file.

    python -m benchmarks.scaling [--copies N] [--rule ID] [--limit K]

Each example of every built-in rule (positive and negative) is repeated N and 4N times in one
text at the example's path, and judged as a scan judges a file (``detect``: the rules, their
resolution of names, the verdicts), as the hook does (no memo of windows across texts, which
would answer the second run from the first). A cost linear in the text takes about 4x as long
for 4x the copies; a search of the whole text for each value found takes 16x. Generated code
repeats a line thousands of times (a file of 1,600 ``jwt.sign(payload, key)`` calls once took 2
s), and a repository can do so on purpose to stall a scan. The rows with the largest ratio are
printed, and those over ``SUPERLINEAR`` flagged; the command exits 1 when one is flagged, so
that it can be run before a change lands. Timings, not a test: the suite asserts no speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.detect.engine import Ruleset, detect
from scanner.detect.loader import load_ruleset
from scanner.detect.rules import Example
from scanner.findings import Fragment

# A ratio this far above 4 (for 4x the copies) is more than noise: about N^1.4.
SUPERLINEAR = 7.0
# Below this many seconds for 4N copies, a ratio says nothing (timer and allocation noise).
NOTICEABLE = 0.05


@dataclass(frozen=True, slots=True)
class Row:
    rule_id: str
    example: str  # "example 2", "negative 0"
    seconds: tuple[float, float]  # N copies, 4N copies (best of 3)

    @property
    def ratio(self) -> float:
        return self.seconds[1] / max(self.seconds[0], 1e-6)

    @property
    def superlinear(self) -> bool:
        return self.seconds[1] >= NOTICEABLE and self.ratio > SUPERLINEAR


def _seconds(ruleset: Ruleset, example: Example, copies: int) -> float:
    unit = example.text if example.text.endswith("\n") else example.text + "\n"
    text = unit * copies
    best = float("inf")
    for _ in range(3):
        fragment = Fragment(example.path or "example.txt", text)
        start = time.perf_counter()
        list(detect(fragment, ruleset, unresolved=[]))
        best = min(best, time.perf_counter() - start)
    return best


def measure(ruleset: Ruleset, copies: int, rule_ids: Sequence[str] = ()) -> list[Row]:
    """A row per example of the rules (``rule_ids``, else all built-in ones), largest ratio
    first."""
    rows = []
    for rule in ruleset.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for label, examples in (("example", rule.examples), ("negative", rule.negative_examples)):
            for index, example in enumerate(examples):
                seconds = (
                    _seconds(ruleset, example, copies),
                    _seconds(ruleset, example, 4 * copies),
                )
                rows.append(Row(rule.id, f"{label} {index}", seconds))
    return sorted(rows, key=lambda row: row.ratio, reverse=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__)
    parser.add_argument("--copies", type=int, default=60, help="N (default 60)")
    parser.add_argument("--rule", action="append", default=[], metavar="ID")
    parser.add_argument("--limit", type=int, default=20, help="rows printed (default 20)")
    args = parser.parse_args(argv)
    ruleset = load_ruleset()
    rows = measure(ruleset, args.copies, args.rule)
    print(f"{'ratio':>6}  {args.copies:>5}x  {4 * args.copies:>5}x  rule, example")
    for row in rows[: args.limit]:
        flag = "  <- superlinear" if row.superlinear else ""
        first, second = row.seconds
        print(f"{row.ratio:6.1f}  {first:6.3f}  {second:6.3f}  {row.rule_id}, {row.example}{flag}")
    flagged = [row for row in rows if row.superlinear]
    print(
        f"{len(rows)} examples; {len(flagged)} superlinear (4x the copies, more than "
        f"{SUPERLINEAR:g}x the time, {NOTICEABLE:g} s or more)"
    )
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())

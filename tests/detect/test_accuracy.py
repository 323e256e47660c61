"""The labelled corpus keeps its recall and precision: at least 0.95 for every kind."""

from __future__ import annotations

import pytest

from benchmarks.accuracy import TARGET, findings, labels, score


@pytest.fixture(scope="module")
def scores() -> dict[str, tuple[float, float]]:
    return {s.kind: (s.recall, s.precision) for s in score(labels(), findings())}


@pytest.mark.parametrize("kind", ["weak-secret", "hardcoded-secret", "private-key"])
def test_accuracy_per_kind_meets_target(kind: str, scores: dict[str, tuple[float, float]]) -> None:
    recall, precision = scores[kind]
    assert recall >= TARGET, f"{kind} recall {recall:.3f}"
    assert precision >= TARGET, f"{kind} precision {precision:.3f}"

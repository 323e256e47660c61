"""The noise benchmark's review file: valid, complete entries that never hold a secret value."""

from __future__ import annotations

import base64
import json
import random
import string
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks.noise import (
    REVIEW,
    SOURCES,
    VERDICTS,
    ReviewError,
    Row,
    Scan,
    context,
    describe_contexts,
    identities,
    kingfisher_places,
    line_hash,
    load_review,
    review_key,
    table,
    targets,
    totals,
)

ENTRY: dict[str, object] = {
    "source": "pypi/Flask",
    "path": "tests/test_config.py",
    "rule": "python-secret-key-assignment",
    "line": "0123456789ab",
    "verdict": "fixture",
    "reason": "test secret key in the test suite",
}


def fake_token(seed: int) -> str:
    """An obviously fake, JWT-shaped string made at test time."""
    rng = random.Random(seed)

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = part(json.dumps({"sub": "fake"}).encode())
    signature = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(43))
    return f"{header}.{body}.{signature}"


def write(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(entries))
    return path


def test_noise_review_committed_file_is_valid_and_complete() -> None:
    review = load_review(REVIEW)
    assert review, "the review file classifies the benchmark's findings"
    assert {e["verdict"] for e in review.values()} <= set(VERDICTS)
    assert all(e["reason"].strip() for e in review.values())
    known = {s.id for s in SOURCES}
    assert {e["source"] for e in review.values()} <= known


def test_noise_review_accepts_a_valid_entry(tmp_path: Path) -> None:
    review = load_review(write(tmp_path, [ENTRY, {**ENTRY, "nth": 2}]))
    assert sorted(review) == sorted([review_key(ENTRY), review_key({**ENTRY, "nth": 2})])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"verdict": "maybe"}, "verdict"),
        ({"verdict": "prod", "reason": ""}, "blank"),
        ({"reason": "   "}, "reason"),
        ({"colour": "blue"}, "unknown"),
        ({"line": "line 12"}, "hash"),
        ({"nth": 0}, "nth"),
        ({"reason": "signed with " + fake_token(7)}, "secret"),
        ({"reason": "the key " + "-" * 5 + "BEGIN RSA PRIVATE KEY"}, "secret"),
        ({"reason": "value " + "Zq81" + "".join(random.Random(3).choices("aZ09", k=30))}, "secret"),
    ],
)
def test_noise_review_rejects_a_bad_entry(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ReviewError, match=message):
        load_review(write(tmp_path, [{**ENTRY, **change}]))


def test_noise_review_rejects_duplicate_keys(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="duplicate"):
        load_review(write(tmp_path, [ENTRY, {**ENTRY, "reason": "said again"}]))


def test_noise_identity_hashes_the_line_and_counts_equal_keys(tmp_path: Path) -> None:
    """The key holds a hash of the line's text, never the value; equal lines get nth 2, 3..."""
    value = "changeme-please"
    line = f'SECRET_KEY = "{value}"'
    (tmp_path / "settings.py").write_text(f"{line}\n\n  {line}\n")
    finding = {"rule": "python-secret-key-assignment", "path": "settings.py", "column": 14}
    scan = Scan(SOURCES[0], tmp_path, 1, ({**finding, "line": 3}, {**finding, "line": 1}), 0, 0, ())
    idents = [ident for _, ident in identities(scan)]
    assert [i.get("nth", 1) for i in idents] == [1, 2]
    assert {i["line"] for i in idents} == {line_hash(line)}
    assert value not in json.dumps(idents)


def test_noise_identity_reviews_every_place_of_a_repeated_value(tmp_path: Path) -> None:
    """A value in several files of a tree is one finding; each place keeps the review key it
    had as a finding of its own. A history audit's occurrences (other commits) are not places
    to review: the finding speaks for them, as before."""
    (tmp_path / "app.py").write_text('SECRET_KEY = "x"\n')
    (tmp_path / "test_app.py").write_text('\nKEY = "x"\n')
    grouped = {
        "rule": "python-secret-key-assignment",
        "path": "app.py",
        "line": 1,
        "at_head": None,
        "occurrences": [{"path": "test_app.py", "line": 2, "rule": "other-rule", "commit": None}],
    }
    scan = Scan(SOURCES[0], tmp_path, 2, (grouped,), 0, 0, ())
    idents = [ident for _, ident in identities(scan)]
    assert [(i["path"], i["rule"]) for i in idents] == [
        ("app.py", "python-secret-key-assignment"),
        ("test_app.py", "other-rule"),
    ]
    assert idents[1]["line"] == line_hash('KEY = "x"')
    history = Scan(SOURCES[0], tmp_path, 2, ({**grouped, "at_head": True},), 0, 0, ())
    assert [i["path"] for _, i in identities(history)] == ["app.py"]


def test_noise_table_counts_contexts_per_source_and_in_the_total() -> None:
    # The "by context" column printed n/a although every finding carries its context.
    findings = [{"context": "test"}, {"context": "test"}, {"context": "docs"}]
    one = Row("a", 1, 3, 0, Counter(context(f) for f in findings), Counter(fixture=3), 1, 2, 3)
    two = Row("b", 1, 1, 1, Counter({"app": 1}), Counter(prod=1), 4, 0, 0)
    total = totals([one, two])
    assert describe_contexts(one.contexts) == "test 2, docs 1"
    assert describe_contexts(total.contexts) == "test 2, app 1, docs 1"
    assert describe_contexts(Counter()) == "-"
    assert "| test 2, app 1, docs 1 |" in table([total])
    assert (total.kingfisher, total.kingfisher_misses) == (5, 3)


def test_noise_targets_say_what_is_met() -> None:
    total = Row("t", 1, 9, 1, Counter(), Counter(prod=1, fixture=8), 6, 0, 3)
    met = targets(total, 0)
    assert met[0].endswith("(met)")
    assert "findings 9 <= Kingfisher 6 + real findings Kingfisher misses 3 = 9 (met)" in met[2]
    wrong = targets(Row("t", 1, 10, 2, Counter(), Counter({"false-positive": 1}), 6, 0, 3), 1)
    assert all("NOT MET" in line for line in wrong)


def test_noise_reads_kingfisher_places_relative_to_the_tree(tmp_path: Path) -> None:
    report = tmp_path / "kingfisher.stdout"
    report.write_text(
        json.dumps(
            {
                "findings": [
                    {"finding": {"path": f"{tmp_path}/src/a.py", "line": 3}},
                    {"finding": {"path": "lib/b.js", "line": 7}},
                    {"finding": {"path": "c.go"}},  # no line: not a place
                ]
            }
        )
    )
    assert kingfisher_places(report, tmp_path) == {("src/a.py", 3), ("lib/b.js", 7)}

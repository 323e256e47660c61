"""The noise benchmark's review file: valid, complete entries that never hold a secret value."""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import pytest
import yaml

from benchmarks.noise import (
    REVIEW,
    SOURCES,
    VERDICTS,
    ReviewError,
    Scan,
    identities,
    line_hash,
    load_review,
    review_key,
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

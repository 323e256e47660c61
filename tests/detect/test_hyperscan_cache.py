"""Hyperscan databases kept in the cache folder: read back only when private and exact."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from scanner.detect import prefilter
from scanner.detect.prefilter import Haystack, HyperscanPrefilter

hyperscan = pytest.importorskip("hyperscan")

KEYWORDS = ("jwt_secret", "secret", "signwith", "hs256")
OTHERS = ("jwt_secret", "secret", "signwith", "hs512")
TEXT = "const JWT_SECRET = 'x'; jwt.signWith(HS256, secret) // HS512"


class Compiles:
    """Counts the databases compiled (not read back) while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = hyperscan.Database

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(hyperscan, "Database", counted)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "jwtscan"


def kept(cache: Path) -> list[Path]:
    return sorted(cache.glob("hyperscan-*.db"))


def searched(keywords: tuple[str, ...]) -> dict[str, list[int]]:
    """Each keyword's offsets in TEXT, ignoring case, found by a plain search."""
    lowered = TEXT.lower()
    found = {k: [i for i in range(len(lowered)) if lowered.startswith(k, i)] for k in keywords}
    return {keyword: offsets for keyword, offsets in sorted(found.items()) if offsets}


def hits(keywords: tuple[str, ...]) -> dict[str, list[int]]:
    haystack = Haystack(TEXT)
    present = HyperscanPrefilter(keywords, hyperscan).present(haystack)
    return {keyword: haystack.hits(keyword) for keyword in sorted(present)}


def test_a_database_is_compiled_once_then_read_back(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiles = Compiles(monkeypatch)
    first = hits(KEYWORDS)
    assert first == searched(KEYWORDS)
    assert first["secret"] == [10, 44]
    assert compiles.count == 1
    assert len(kept(cache)) == 1
    assert hits(KEYWORDS) == first
    assert compiles.count == 1  # read back, not compiled
    assert kept(cache)[0].stat().st_mode & 0o077 == 0


def test_a_database_of_other_keywords_under_the_name_is_not_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = hits(OTHERS)
    [theirs] = kept(cache)
    hits(KEYWORDS)
    [ours] = [path for path in kept(cache) if path != theirs]
    shutil.copyfile(theirs, ours)  # a database that finds hs512 where hs256 was asked for
    compiles = Compiles(monkeypatch)
    assert hits(KEYWORDS) == searched(KEYWORDS)
    assert compiles.count == 1  # compiled anew, and kept in its place
    assert ours.read_bytes() != theirs.read_bytes()
    assert hits(OTHERS) == expected == searched(OTHERS)


@pytest.mark.parametrize("damage", ["bytes", "empty", "shared"])
def test_a_damaged_or_shared_database_means_compiling(
    cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    expected = hits(KEYWORDS)
    [path] = kept(cache)
    if damage == "bytes":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # intact, but another user could have written it: what it finds decides the rules
        path.chmod(0o666)
    compiles = Compiles(monkeypatch)
    assert hits(KEYWORDS) == expected
    assert compiles.count == 1


@pytest.mark.usefixtures("unwritable_cache")
def test_a_cache_that_cannot_be_written_is_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = Compiles(monkeypatch)
    assert hits(KEYWORDS)["jwt_secret"] == [6]
    assert hits(KEYWORDS)["jwt_secret"] == [6]
    assert compiles.count == 2


def test_only_the_most_recent_databases_are_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefilter, "_DATABASES_KEPT", 2)
    for extra in ("alpha", "bravo", "charlie", "delta"):
        HyperscanPrefilter((*KEYWORDS, extra), hyperscan)
    assert len(kept(cache)) == 2

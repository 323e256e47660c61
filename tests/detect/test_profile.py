"""--profile-rules and history audits whose workers read their own blobs, through real git."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.fakes import fake_pem, fake_value
from scanner.detect.loader import load_ruleset
from scanner.detect.profile import PREFILTER, Profile, Timing
from scanner.errors import GitError
from scanner.sources import git as gitsource
from tests.conftest import commit_files, git


def _jwtscan(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scanner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _history(repo: Path) -> None:
    """Secrets in a commit that a later one removes, a binary, a large file and clean ones."""
    key = fake_value("alnum", 40, "profile-history")
    commit_files(
        repo,
        {
            "auth.js": f"jwt.sign(payload, '{key}');\n",
            "keys/signing.pem": fake_pem("rsa", "profile-history") + "\n",
            "big.json": '{"name": "x"}\n' * 20_000,
            **{f"src/m{n}.py": f"value = {n}\n" for n in range(30)},
        },
    )
    (repo / "logo.bin").write_bytes(b"\0\1\2" * 100)
    (repo / "auth.js").write_text("jwt.sign(payload, process.env.JWT_SECRET);\n")
    commit_files(repo, {"README.md": "token handling\n"}, "rotate")


def _report(result: subprocess.CompletedProcess[str]) -> tuple[int, list[object], object]:
    document = json.loads(result.stdout)
    stats = {k: v for k, v in document["stats"].items() if k != "seconds"}
    return result.returncode, [f["fingerprint"] for f in document["findings"]], stats


def test_workers_reading_their_own_blobs_give_what_one_process_gives(repo: Path) -> None:
    _history(repo)
    args = ("scan", "--history", "--format", "json", "--no-crack", "--max-file-size", "100000")
    one = _report(_jwtscan(repo, *args, "--jobs", "1"))
    two = _report(_jwtscan(repo, *args, "--jobs", "2"))
    assert one == two
    code, fingerprints, stats = two
    assert code == 1
    assert len(fingerprints) == 2  # the key in auth.js and the PEM key
    assert isinstance(stats, dict)
    assert [(s["path"], s["reason"]) for s in stats["skipped"]] == [
        ("big.json", "too-large"),
        ("logo.bin", "binary"),
    ]
    assert stats["files_scanned"] == 34  # auth.js twice, the PEM, 30 modules, README.md


def test_profile_rules_prints_costliest_rules_and_files_and_changes_nothing(repo: Path) -> None:
    _history(repo)
    for mode in (("--history", "--jobs", "2"), ("--jobs", "1")):
        plain = _jwtscan(repo, "scan", "--format", "json", "--no-crack", *mode)
        profiled = _jwtscan(
            repo, "scan", "--format", "json", "--no-crack", "--profile-rules", "3", *mode
        )
        assert _report(profiled) == _report(plain)
        lines = profiled.stderr.splitlines()
        assert "jwtscan: profile: costliest rules" in "\n".join(lines)
        rules_at = next(i for i, line in enumerate(lines) if "costliest rules" in line)
        files_at = next(i for i, line in enumerate(lines) if "costliest files" in line)
        ranked = lines[rules_at + 1 : files_at]
        assert len(ranked) == 3
        ids = {rule.id for rule in load_ruleset().rules} | {PREFILTER}
        for line in ranked:
            seconds, unit, texts, word, rule = line.split()
            assert (unit, word) == ("s", "texts")
            assert float(seconds) >= 0
            assert int(texts.replace(",", "")) >= 1
            assert rule in ids
        files = [line.split()[-1] for line in lines[files_at + 1 : files_at + 4]]
        assert len(files) == 3
        assert set(files) <= {
            "auth.js",
            "keys/signing.pem",
            "big.json",
            "README.md",
            "logo.bin",
        } | {f"src/m{n}.py" for n in range(30)}
        secret = fake_value("alnum", 40, "profile-history")
        assert secret not in profiled.stderr


def test_profile_counts_the_prefilter_of_files_judged_from_their_bytes(repo: Path) -> None:
    # A file without a keyword of a rule for its path is judged from its bytes (never
    # decoded): its prefilter's time is the keyword search too, for every file of the tree.
    _history(repo)
    for jobs in ("1", "2"):
        result = _jwtscan(
            repo, "scan", "--format", "json", "--no-crack", "--jobs", jobs, "--profile-rules", "99"
        )
        scanned = json.loads(result.stdout)["stats"]["files_scanned"]
        (line,) = [line for line in result.stderr.splitlines() if line.endswith(PREFILTER)]
        assert int(line.split()[2].replace(",", "")) == scanned > 30, jobs


def test_profile_keeps_the_slowest_files_and_sums_rules() -> None:
    profile = Profile(top=2)
    for n, seconds in enumerate([0.5, 0.1, 0.9, 0.3]):
        profile.add(Timing(f"f{n}", seconds, {"a": seconds / 2, PREFILTER: 0.01}))
    lines = list(profile.lines())
    assert lines[0].startswith("jwtscan: profile: 1.80 CPU-seconds")
    assert [line.split()[-1] for line in lines[2:4]] == ["a", PREFILTER]
    assert lines[2].split()[:4] == ["0.900", "s", "4", "texts"]
    assert [line.split()[-1] for line in lines[5:]] == ["f2", "f0"]


def _read_in_child(repo: Path, oid: str, queue: multiprocessing.Queue[bytes | None]) -> None:
    queue.put(gitsource.read_blob(gitsource.open_repository(repo), oid))
    gitsource.close_blob_readers()


def test_blob_reader_reads_blobs_and_says_which_are_missing(repo: Path) -> None:
    commit_files(repo, {"a.txt": "first\n", "b.txt": "second\x00binary\n"})
    opened = gitsource.open_repository(repo)
    first = git(repo, "rev-parse", "HEAD:a.txt").strip()
    second = git(repo, "rev-parse", "HEAD:b.txt").strip()
    assert gitsource.read_blob(opened, first) == b"first\n"
    assert gitsource.read_blob(opened, second) == b"second\x00binary\n"
    assert gitsource.read_blob(opened, "0" * 40) is None
    assert gitsource.read_blob(opened, first) == b"first\n"  # still answering after a miss
    with pytest.raises(GitError, match="not an object id"):
        gitsource.read_blob(opened, "HEAD:a.txt")
    # A forked process starts its own git cat-file: the parent's pipes stay the parent's.
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[bytes | None] = context.Queue()
    child = context.Process(target=_read_in_child, args=(repo, second, queue))
    child.start()
    assert queue.get(timeout=60) == b"second\x00binary\n"
    child.join(timeout=60)
    assert child.exitcode == 0
    assert gitsource.read_blob(opened, first) == b"first\n"
    gitsource.close_blob_readers()


def test_blobs_requested_ahead_are_read_in_order_and_unwanted_answers_skipped(repo: Path) -> None:
    commit_files(repo, {"a.txt": "first\n", "b.txt": "second\n", "c.txt": "third\n"})
    opened = gitsource.open_repository(repo)
    a, b, c = (
        git(repo, "rev-parse", f"HEAD:{name}").strip() for name in ("a.txt", "b.txt", "c.txt")
    )
    gitsource.request_blobs(opened, [a, "0" * 40, b])
    assert gitsource.read_blob(opened, a) == b"first\n"
    assert gitsource.read_blob(opened, "0" * 40) is None  # a missing blob in a batch
    assert gitsource.read_blob(opened, b) == b"second\n"
    gitsource.request_blobs(opened, [a, b, c])
    assert gitsource.read_blob(opened, c) == b"third\n"  # a and b answered, skipped
    assert gitsource.read_blob(opened, a) == b"first\n"  # asked for again
    with pytest.raises(GitError, match="not an object id"):
        gitsource.request_blobs(opened, [a, "HEAD:a.txt"])
    assert gitsource.read_blob(opened, b) == b"second\n"  # nothing of the refused batch sent
    gitsource.close_blob_readers()


def test_a_history_judged_in_one_process_asks_git_for_a_batch_at_once(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One process judging a history (one core, --jobs 1) asks its git cat-file for the next
    batch's blobs together, so git reads ahead while it judges; the findings are those of
    blob-by-blob reading."""
    from scanner.detect import driver
    from scanner.sources.commits import history

    key = fake_value("alnum", 40, "read-ahead")
    commit_files(repo, {f"src/m{n}.js": f"const v = {n};\n" for n in range(40)})
    commit_files(repo, {"src/auth.js": f"jwt.sign(payload, '{key}');\n"}, "auth")
    opened = gitsource.open_repository(repo)
    asked: list[int] = []
    request = gitsource.request_blobs

    def counted(repository: gitsource.Repository, oids: list[str]) -> None:
        asked.append(len(oids))
        request(repository, oids)

    monkeypatch.setattr(driver, "request_blobs", counted)
    items = history(
        opened,
        [],
        max_file_size=1_000_000,
        exclude=[],
        head_tree=lambda: gitsource.head_tree(opened),
    )
    result = driver.scan(items, load_ruleset(), workers=1)
    assert asked == [driver.BATCH, 41 - driver.BATCH]  # 41 blobs, two requests
    assert [(f.path, f.rule_id) for f in result.findings] == [
        ("src/auth.js", "jsonwebtoken-literal-key")
    ]
    assert result.stats.files == 41

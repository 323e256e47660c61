"""Fail closed: hostile rules and inputs give a clear error and exit 2, never a hang or a 0."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.detect.driver import scan
from scanner.detect.engine import Ruleset
from scanner.detect.loader import load_ruleset
from scanner.detect.rules import parse_rule_file
from scanner.findings import Fragment

BACKTRACKING = r"""
rules:
  - id: user-backtracking
    description: a user rule whose regex backtracks catastrophically
    kind: secret
    severity: high
    keywords: ["aaaa"]
    regex: '(?P<secret>(a+)+)\$'
    remediation: {fix: f}
"""


def test_catastrophic_user_regex_is_stopped_and_named() -> None:
    rules = parse_rule_file(BACKTRACKING, "mine.yaml")
    ruleset = Ruleset(rules, load_ruleset().weak)
    items = [Fragment("bad.txt", "a" * 64 + "!"), Fragment("fine.txt", "nothing here")]
    started = time.monotonic()
    result = scan(items, ruleset, budget_seconds=0.3)
    assert time.monotonic() - started < 10
    assert not result.complete
    [failure] = result.stats.unreadable
    assert failure.path == "bad.txt"
    assert "rule user-backtracking ran out of time" in failure.error
    assert result.stats.files == 2


def test_unreadable_verdict_exits_2_with_a_partial_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.detect.driver

    # Loading refuses a rule that backtracks on runs of common characters (tests/test_writes.py);
    # this one backtracks only on a run of 'z', so only the scan's own budget can stop it.
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        BACKTRACKING.replace('keywords: ["aaaa"]', 'keywords: ["zz"]').replace("(a+)+", "(z+)+")
    )
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "bad.txt").write_text("z" * 64 + "!")
    monkeypatch.setattr(scanner.detect.driver, "BUDGET_SECONDS", 0.3)
    code = main(["scan", "--format", "json", "--rules", str(rules), str(tmp_path / "project")])
    out, err = capsys.readouterr()
    assert code == 2
    assert json.loads(out)["complete"] is False
    assert "incomplete" in err


def _corrupt(repo: Path, blob: str) -> None:
    path = repo / ".git" / "objects" / blob[:2] / blob[2:]
    path.chmod(0o644)
    path.unlink()


def test_staged_scan_with_a_missing_object_fails_closed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import git

    (repo / "a.js").write_text("jwt.sign(p, process.env.K);\n")
    (repo / "b.js").write_text("jwt.sign(p, 'changeme');\n")
    git(repo, "add", "-A")
    _corrupt(repo, git(repo, "rev-parse", ":b.js").strip())
    monkeypatch.chdir(repo)
    code = main(["scan", "--staged"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "b.js" in out
    assert "incomplete" in err


def test_range_scan_with_a_missing_object_fails_closed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import git

    (repo / "README").write_text("x\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "a.js").write_text("// fine\n")
    (repo / "b.js").write_text("jwt.sign(p, 'changeme');\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two files")
    _corrupt(repo, git(repo, "rev-parse", "HEAD:b.js").strip())
    monkeypatch.chdir(repo)
    assert main(["scan", "--since", "HEAD~1"]) == 2


def test_interrupt_exits_130(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.pipeline

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(scanner.pipeline, "scan", interrupted)
    assert main(["scan", str(tmp_path)]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_internal_error_fails_closed_without_echoing_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.pipeline

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("could not parse 'jwt.sign(p, \"hunter2-leaked\")'")

    monkeypatch.setattr(scanner.pipeline, "scan", broken)
    code = main(["scan", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "internal error ValueError" in err
    assert "hunter2-leaked" not in out + err
    assert "Traceback" not in err


def test_object_reader_stopped_early_does_not_hang(repo: Path) -> None:
    """A consumer that stops reading (an error, Ctrl-C) must not deadlock git's pipes."""
    from scanner.sources import git
    from tests.conftest import git as run_git

    big = "x" * 200_000
    for i in range(40):
        (repo / f"f{i}.txt").write_text(f"{i}{big}")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-qm", "many blobs")
    blobs = [line.split()[2] for line in run_git(repo, "ls-tree", "-r", "HEAD").splitlines()]
    reader = git.ObjectReader(git.open_repository(repo))
    started = time.monotonic()
    stream = reader.read(iter(blobs * 50))
    next(stream)
    stream.close()
    assert time.monotonic() - started < 10


def test_parallel_scan_gives_the_same_findings(tmp_path: Path) -> None:
    fragments = [
        Fragment(f"src/f{i}.js", f"// {i}\njwt.sign(p, 'changeme{i}');\n" if i % 3 else "ok\n")
        for i in range(60)
    ]
    ruleset = load_ruleset()
    serial = scan(fragments, ruleset, workers=1)
    parallel = scan(fragments, ruleset, workers=2)
    assert [(f.path, f.line, f.rule_id) for f in parallel.findings] == [
        (f.path, f.line, f.rule_id) for f in serial.findings
    ]
    assert parallel.stats.files == serial.stats.files == 60


def test_parallel_scan_reports_a_backtracking_rule(tmp_path: Path) -> None:
    rules = parse_rule_file(BACKTRACKING, "mine.yaml")
    ruleset = Ruleset(rules, load_ruleset().weak)
    items = [Fragment("bad.txt", "a" * 64 + "!"), Fragment("fine.txt", "nothing here")]
    result = scan(items, ruleset, budget_seconds=0.3, workers=2)
    assert [u.path for u in result.stats.unreadable] == ["bad.txt"]

"""Staged, range and history scans on real repositories built in the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from tests.conftest import commit, git

SIGN = "const token = jwt.sign(payload, '{key}');\n"


def _write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _json(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, dict[str, Any], str]:
    monkeypatch.chdir(repo)
    code = main(["scan", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def _where(report: dict[str, Any]) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in report["findings"]]


# --- staged -----------------------------------------------------------------------------------


def test_staged_reads_the_index_not_the_working_tree(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    git(repo, "add", "auth.js")
    _write(repo, "auth.js", "const token = jwt.sign(payload, process.env.JWT_SECRET);\n")
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]


def test_staged_ignores_what_is_only_in_the_working_tree(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "clean.js", "// nothing\n")
    git(repo, "add", "clean.js")
    _write(repo, "auth.js", SIGN.format(key="changeme"))  # untracked, not staged
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert code == 0
    assert report["findings"] == []


def test_staged_partial_staging_is_judged_on_what_is_staged(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", "// one\n// two\n")
    commit(repo, "base")
    _write(repo, "auth.js", "// one\n" + SIGN.format(key="changeme") + "// two\n")
    # Stage the file as it was committed plus a harmless line: the secret stays unstaged.
    blob = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=repo,
        input="// one\n// two\n// three\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "update-index", "--cacheinfo", f"100644,{blob},auth.js")
    code, _, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert code == 0


def test_staged_reports_only_added_lines_unless_all_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "old secret")
    _write(repo, "auth.js", SIGN.format(key="changeme") + "// unrelated change\n")
    git(repo, "add", "auth.js")
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert (code, report["findings"]) == (0, [])
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged", "--all-lines")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]


def test_staged_first_commit_without_head(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "src/auth.js", "// header\n" + SIGN.format(key="my-secret"))
    git(repo, "add", "-A")
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert code == 1
    assert _where(report) == [("src/auth.js", 2)]


def test_staged_deleted_files_are_ignored_and_renames_followed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "// a\n// b\n// c\n// d\n" + SIGN.format(key="changeme")
    _write(repo, "old.js", body)
    _write(repo, "gone.js", SIGN.format(key="secret"))
    commit(repo, "base")
    git(repo, "rm", "-q", "gone.js")
    git(repo, "mv", "old.js", "new.js")
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert (code, report["findings"]) == (0, [])  # a pure rename adds no line
    _write(repo, "new.js", body + SIGN.format(key="supersecret"))
    git(repo, "add", "new.js")
    code, report, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert code == 1
    assert _where(report) == [("new.js", 6)]


def test_staged_works_from_a_subdirectory(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "src/deep/auth.js", SIGN.format(key="changeme"))
    git(repo, "add", "-A")
    code, report, err = _json(capsys, repo / "src" / "deep", monkeypatch, "--staged")
    assert code == 1, err
    assert _where(report) == [("src/deep/auth.js", 1)]


def test_staged_in_a_linked_worktree(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "hello\n")
    commit(repo, "base")
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", str(linked))
    _write(linked, "auth.js", SIGN.format(key="changeme"))
    git(linked, "add", "auth.js")
    code, report, _ = _json(capsys, linked, monkeypatch, "--staged")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]
    code, _, _ = _json(capsys, repo, monkeypatch, "--staged")
    assert code == 0


def test_staged_outside_a_repository_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _json(capsys, tmp_path, monkeypatch, "--staged")
    assert code == 2
    assert "is not inside a git repository" in err


# --- the hook, with real commits ----------------------------------------------------------------


def _install(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> int:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        return main(["install-hook", *args])
    finally:
        os.chdir(cwd)
        capsys.readouterr()


def _try_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-m", "change", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def test_install_hook_blocks_a_real_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo, "README", "hello\n")
    head = commit(repo, "base")
    assert _install(repo, capsys) == 0
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    git(repo, "add", "auth.js")
    refused = _try_commit(repo)
    assert refused.returncode != 0
    assert "weak-secret" in refused.stderr
    assert "changeme" not in refused.stdout + refused.stderr
    assert git(repo, "rev-parse", "HEAD").strip() == head
    _write(repo, "auth.js", "const token = jwt.sign(payload, process.env.JWT_SECRET);\n")
    git(repo, "add", "auth.js")
    assert _try_commit(repo).returncode == 0


def test_install_hook_commit_all_uses_gits_index(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(repo, "auth.js", "// placeholder\n")
    head = commit(repo, "base")
    _install(repo, capsys)
    _write(repo, "auth.js", SIGN.format(key="changeme"))  # modified, not staged
    refused = _try_commit(repo, "-a")  # git stages into a temporary index (GIT_INDEX_FILE)
    assert refused.returncode != 0, refused.stdout
    assert git(repo, "rev-parse", "HEAD").strip() == head
    refused = _try_commit(repo, "auth.js")  # "git commit <paths>" uses another temporary index
    assert refused.returncode != 0


def test_install_hook_refuses_to_overwrite(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "pre-commit").write_text("#!/bin/sh\nexit 0\n")
    os.chdir(repo)
    assert main(["install-hook"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["install-hook", "--force"]) == 0
    assert "scanner hook" in (hooks / "pre-commit").read_text()


# --- commit ranges --------------------------------------------------------------------------------


def test_range_reports_added_lines_with_their_commit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "old.js", SIGN.format(key="changeme"))
    base = commit(repo, "base")
    _write(repo, "auth.js", "// a\n" + SIGN.format(key="my-secret"))
    added = commit(repo, "add", date="2026-01-02T03:04:05+00:00")
    _write(repo, "old.js", SIGN.format(key="changeme") + "// touched\n")
    commit(repo, "touch old file")
    code, report, _ = _json(capsys, repo, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 1
    [finding] = report["findings"]
    assert (finding["path"], finding["line"]) == ("auth.js", 2)
    assert finding["commit"] == {
        "sha": added,
        "author": "Test Author",
        "email": "author@example.com",
        "date": "2026-01-02T03:04:05+00:00",
    }
    code, report, _ = _json(capsys, repo, monkeypatch, "--since", base)
    assert _where(report) == [("auth.js", 2)]


def test_range_secret_added_then_removed_is_still_reported(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "x\n")
    base = commit(repo, "base")
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "oops")
    (repo / "auth.js").unlink()
    commit(repo, "remove it")
    code, report, _ = _json(capsys, repo, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]


def test_range_merge_commits(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "x\n")
    base = commit(repo, "base")
    git(repo, "checkout", "-qb", "feature")
    _write(repo, "feature.js", SIGN.format(key="changeme"))
    feature = commit(repo, "feature")
    git(repo, "checkout", "-q", "main")
    _write(repo, "main.js", "// main\n")
    commit(repo, "main work")
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "feature")
    _write(repo, "evil.js", SIGN.format(key="secret"))  # added by the merge itself
    git(repo, "add", "evil.js")
    git(repo, "commit", "-qm", "merge")
    merge = git(repo, "rev-parse", "HEAD").strip()
    code, report, _ = _json(capsys, repo, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 1
    found = {(f["path"], f["commit"]["sha"]) for f in report["findings"]}
    assert found == {("feature.js", feature), ("evil.js", merge)}


def test_range_empty_is_no_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty range judged nothing: exit 2 with advice, never a green (issue 12 item 1).
    _write(repo, "README", "x\n")
    commit(repo, "base")
    code, _, err = _json(capsys, repo, monkeypatch, "--range", "HEAD..HEAD")
    assert code == 2
    assert "has no commits, so nothing was judged" in err
    for empty_side in ("..HEAD", "HEAD..", ".."):  # an unset CI variable
        code, _, err = _json(capsys, repo, monkeypatch, "--range", empty_side)
        assert code == 2
        assert "has an empty side" in err


def test_range_unknown_base_is_an_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "x\n")
    commit(repo, "base")
    code, _, err = _json(capsys, repo, monkeypatch, "--range", f"{'1' * 40}..HEAD")
    assert code == 2
    assert "is not a commit in this repository" in err


def test_range_in_a_shallow_clone_fails_loudly(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        _write(repo, "file.txt", f"{i}\n")
        commit(repo, f"c{i}")
    base = git(repo, "rev-parse", "HEAD~2").strip()
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    code, _, err = _json(capsys, clone, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 2
    assert "shallow clone" in err
    assert "fetch-depth: 0" in err


def test_range_auto_from_github_pull_request(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "x\n")
    base = commit(repo, "base")
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    head = commit(repo, "feature")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}, "head": {"sha": head}}}))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    code, report, _ = _json(capsys, repo, monkeypatch, "--range", "auto")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]


def test_range_auto_from_gitlab_merge_request(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "x\n")
    base = commit(repo, "base")
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    head = commit(repo, "feature")
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", base)
    monkeypatch.setenv("CI_COMMIT_SHA", head)
    code, report, _ = _json(capsys, repo, monkeypatch, "--range", "auto")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]


def test_range_auto_outside_ci_is_an_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITLAB_CI", raising=False)
    code, _, err = _json(capsys, repo, monkeypatch, "--range", "auto")
    assert code == 2
    assert "pass --range BASE..HEAD" in err


# --- history ----------------------------------------------------------------------------------


def test_history_attributes_and_deduplicates(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    first = commit(repo, "add secret", date="2025-01-01T00:00:00+00:00")
    _write(repo, "copy.js", "// copy\n" + SIGN.format(key="changeme"))
    commit(repo, "copy it", date="2025-02-01T00:00:00+00:00")
    _write(repo, "gone.js", SIGN.format(key="my-secret"))
    gone = commit(repo, "another", date="2025-03-01T00:00:00+00:00")
    (repo / "gone.js").unlink()
    commit(repo, "remove it", date="2025-04-01T00:00:00+00:00")
    code, report, _ = _json(capsys, repo, monkeypatch, "--history")
    assert code == 1
    by_path = {f["path"]: f for f in report["findings"]}
    assert set(by_path) == {"auth.js", "gone.js"}
    kept = by_path["auth.js"]
    assert kept["commit"]["sha"] == first
    assert kept["at_head"] is True
    assert [(o["path"], o["line"]) for o in kept["occurrences"]] == [("copy.js", 2)]
    removed = by_path["gone.js"]
    assert removed["commit"]["sha"] == gone
    assert removed["at_head"] is False
    assert "history-only" in removed["message"]


def test_history_reads_heads_tree_only_to_attribute_findings(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    git_asked: list[tuple[str, ...]],
) -> None:
    # HEAD's tree says whether a key is still there: a clean audit has no key to ask about.
    _write(repo, "app.js", "const x = 1;\n")
    commit(repo, "clean")
    code, report, _ = _json(capsys, repo, monkeypatch, "--history")
    assert code == 0
    assert report["findings"] == []
    assert not [a for a in git_asked if a[0] == "ls-tree"]
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "add secret")
    code, report, _ = _json(capsys, repo, monkeypatch, "--history")
    assert code == 1
    assert report["findings"][0]["at_head"] is True
    assert len([a for a in git_asked if a[0] == "ls-tree"]) == 1
    # A committed .env file is placed by HEAD's tree too: the same read serves both.
    _write(repo, ".env", "JWT_SECRET=changeme\n")
    commit(repo, "add env")
    git_asked.clear()
    code, report, _ = _json(capsys, repo, monkeypatch, "--history")
    assert code == 1
    assert {f["rule"] for f in report["findings"]} >= {"env-file-tracked", "dotenv-signing-secret"}
    assert len([a for a in git_asked if a[0] == "ls-tree"]) == 1


def test_history_on_a_bare_mirror(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "add secret")
    mirror = tmp_path / "mirror.git"
    git(tmp_path, "clone", "-q", "--mirror", str(repo), str(mirror))
    code, report, _ = _json(capsys, mirror, monkeypatch, "--history")
    assert code == 1
    assert _where(report) == [("auth.js", 1)]


def test_history_ref_limits_the_audit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "README", "x\n")
    commit(repo, "base")
    git(repo, "checkout", "-qb", "feature")
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "feature")
    git(repo, "checkout", "-q", "main")
    code, _, _ = _json(capsys, repo, monkeypatch, "--history", "--ref", "main")
    assert code == 0
    code, _, _ = _json(capsys, repo, monkeypatch, "--history")
    assert code == 1


def test_history_missing_object_fails_closed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "add secret")
    blob = git(repo, "rev-parse", "HEAD:auth.js").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    code, _, err = _json(capsys, repo, monkeypatch, "--history")
    assert code == 2
    assert "Traceback" not in err


def test_scan_mode_is_readable_as_a_subprocess(repo: Path) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    git(repo, "add", "auth.js")
    completed = subprocess.run(
        [sys.executable, "-m", "scanner", "scan", "--staged", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1


def test_history_progress_on_request(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", SIGN.format(key="changeme"))
    commit(repo, "add secret")
    monkeypatch.chdir(repo)
    main(["scan", "--history", "--progress", "--format", "json"])
    err = capsys.readouterr().err
    # The workers read the blobs: the walk knows how many, not their sizes.
    assert "jwtscan: 1 objects, " in err
    assert err.rstrip().endswith("s")

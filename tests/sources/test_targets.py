"""What a scan reads: a PATH names the repository for git modes, -C works like git's, a bare
repository has no working tree, and repositories inside a folder keep their own git state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from tests.conftest import git

SIGN = "module.exports = (p) => jwt.sign(p, '{key}');\n"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main([*args, "--format", "json"] if "scan" in args else list(args))
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.startswith("{") else {}), err


def _paths(report: dict[str, Any]) -> set[str]:
    return {f["path"] for f in report.get("findings", ())}


@pytest.fixture
def other(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A repository with a key in its history (added, then removed) and a key staged; the
    test runs from an unrelated folder."""
    (repo / "README.md").write_text("# other\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "auth.js").write_text(SIGN.format(key="changeme"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "key")
    git(repo, "rm", "-q", "auth.js")
    git(repo, "commit", "-qm", "remove key")
    (repo / "staged.js").write_text(SIGN.format(key="supersecret"))
    git(repo, "add", "staged.js")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return repo, base


def test_git_modes_take_the_repository_as_path(
    other: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 12 item 5: "PATH arguments go with a working-tree scan only" (exit 2).
    repo, base = other
    code, report, _ = _run(capsys, "scan", "--history", str(repo))
    assert code == 1
    assert "auth.js" in _paths(report)
    code, report, _ = _run(capsys, "scan", "--staged", str(repo))
    assert (code, _paths(report)) == (1, {"staged.js"})
    code, report, _ = _run(capsys, "scan", "--range", f"{base}..HEAD", str(repo))
    assert (code, _paths(report)) == (1, {"auth.js"})
    code, _, err = _run(capsys, "scan", "--history", str(repo), str(repo))
    assert code == 2
    assert "one PATH names the repository" in err


def test_dash_c_works_like_git_for_every_command(
    other: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = other
    code, report, _ = _run(capsys, "-C", str(repo.parent), "-C", repo.name, "scan", "--history")
    assert code == 1
    assert "auth.js" in _paths(report)
    assert main(["-C", str(repo), "hook"]) == 1
    assert "staged.js" in capsys.readouterr().out
    assert main(["-C", str(repo), "rules", "list"]) == 0
    capsys.readouterr()
    assert main(["-C", str(repo / "missing"), "scan"]) == 2
    assert "-C" in capsys.readouterr().err
    assert Path.cwd().name == "elsewhere"  # in-process callers keep their directory


def test_tree_scan_of_a_bare_mirror_is_no_verdict(
    other: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 12 item 5: "no findings", exit 0, in a bare mirror.
    repo, _ = other
    mirror = tmp_path / "mirror.git"
    git(tmp_path, "clone", "-q", "--mirror", str(repo), str(mirror))
    code, _, err = _run(capsys, "-C", str(mirror), "scan")
    assert code == 2
    assert "no working tree" in err
    assert "--history" in err
    code, _, err = _run(capsys, "scan", str(repo / ".git"))
    assert code == 2
    assert "no working tree" in err
    code, report, _ = _run(capsys, "-C", str(mirror), "scan", "--history")
    assert (code, _paths(report)) == (1, {"auth.js"})


def test_folder_of_repositories_judges_each_by_its_git_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 12 item 5: `jwtscan scan ~/src` read nested repositories as plain files: their
    # ignored files were reported and their tracked .env files were not.
    src = tmp_path / "src"
    api, web = src / "api", src / "team" / "web"
    for project in (api, web):
        project.mkdir(parents=True)
        git(project, "init", "-q")
    (api / ".gitignore").write_text("local/\n")
    (api / "local").mkdir()
    (api / "local" / "scratch.js").write_text(SIGN.format(key="changeme"))  # ignored by git
    (api / ".env").write_text("PORT=8080\n")
    git(api, "add", "-A")
    git(api, "add", "-f", ".env")  # tracked: a finding of its own
    (web / "auth.js").write_text(SIGN.format(key="supersecret"))
    (src / "notes.js").write_text(SIGN.format(key="changeme"))  # a plain file outside them
    code, report, err = _run(capsys, "scan", str(src))
    assert code == 1
    found = {(f["path"], f["rule"]) for f in report["findings"]}
    assert ("api/.env", "env-file-tracked") in found
    assert _paths(report) == {"api/.env", "team/web/auth.js", "notes.js"}
    assert "api/ is a repository" in err


def test_a_nested_repositorys_file_is_judged_by_the_rules_of_its_reported_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file of a repository inside the scanned folder is reported as api/settings.conf: a
    # rule for api/** applies to it, also when the prefilter first looks at its bytes alone
    # (it was asked under the repository's own name for it, settings.conf, and turned it away).
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "rules:\n  - id: api-conf-key\n    description: d\n    kind: secret\n"
        "    severity: high\n    paths: ['api/**']\n    keywords: [zebra_word]\n"
        '    regex: \'zebra_word = "(?P<secret>[^"]+)"\'\n    remediation: {fix: f}\n'
    )
    src = tmp_path / "src"
    api = src / "api"
    api.mkdir(parents=True)
    git(api, "init", "-q")
    (api / "settings.conf").write_text('zebra_word = "Zq8Xz4Lr9Tn2Vb7Kd1Ws5Hj3Mc6Pf0Ye"\n')
    git(api, "add", "-A")
    for jobs in ("1", "2"):
        code, report, _ = _run(capsys, "scan", "--jobs", jobs, "--rules", str(rules), str(src))
        found = {(f["path"], f["rule"]) for f in report["findings"]}
        assert (code, found) == (1, {("api/settings.conf", "api-conf-key")}), jobs


def test_a_tree_scan_asks_git_once_for_its_root_and_lists_untracked_folders_beside_the_files(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    git_asked: list[tuple[str, ...]],
) -> None:
    # Its repository, its configuration, its files (twice) and the cross-file step all ask
    # where the work tree's root is: one git call. The second listing of untracked files (for
    # folders that cannot be listed) runs in a thread while the first does.
    from scanner.sources import git as git_module

    (repo / "config.js").write_text("module.exports = { secret: 'x' };\n")
    (repo / "auth.js").write_text(
        "const { secret } = require('./config');\nmodule.exports = (p) => jwt.sign(p, secret);\n"
    )
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    code, report, _ = _run(capsys, "scan")
    assert code == 1
    assert _paths(report) == {"config.js"}  # resolved across files
    assert git_asked.count(("rev-parse", "--show-toplevel")) == 1
    assert ("ls-files", "-z", "--others", "--directory", "--exclude-standard") in git_asked
    # Outside a scan, git is asked each time: a folder may become a repository.
    plain = repo.parent / "plain"
    plain.mkdir()
    assert git_module.toplevel(plain) is None
    git(plain, "init", "-q")
    assert git_module.toplevel(plain) == plain.resolve()

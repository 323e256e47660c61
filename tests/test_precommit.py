"""The real pre-commit framework runs the hook from .pre-commit-hooks.yaml on a real commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner import report
from scanner.analyse import crossfile, forgery, history, reuse
from scanner.cli import main
from scanner.detect import embedded, memo, remedies
from scanner.filters import baseline
from scanner.report import html
from tests.conftest import ROOT, git

SIGN_LINE = "module.exports = (p) => jwt.sign(p, 'changeme');\n"


def _project_commit() -> str:
    """The commit of this checkout that pre-commit will install the hook from."""
    if subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("the project checkout has no commit to install the hook from")
    return git(ROOT, "rev-parse", "HEAD").strip()


def test_pre_commit_framework_blocks_a_secret_and_lets_clean_commits_through(
    repo: Path, tmp_path: Path
) -> None:
    rev = _project_commit()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: jwtscan\n"
    )
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*pre_commit, "install"], cwd=repo, env=env, check=True, capture_output=True)
    head = git(repo, "rev-parse", "HEAD").strip()

    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, 'changeme');\n")
    git(repo, "add", "auth.js")
    refused = subprocess.run(
        ["git", "commit", "-m", "add auth"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "jwtscan" in output
    assert "weak-secret" in output
    assert "changeme" not in output
    assert git(repo, "rev-parse", "HEAD").strip() == head

    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, process.env.JWT_SECRET);\n")
    git(repo, "add", "auth.js")
    accepted = subprocess.run(
        ["git", "commit", "-m", "add auth"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(repo, "rev-parse", "HEAD").strip() != head
    shutil.rmtree(tmp_path / "pre-commit-home", ignore_errors=True)


def test_hook_imports_only_what_a_clean_commit_needs(repo: Path) -> None:
    # The hook's speed is measured by benchmarks/perf.py; this guards its structure: a clean
    # commit never loads the machinery of bulk scans, other report formats or the YAML parser
    # (the built-in rules come from the cache the first run writes).
    (repo / "app.py").write_text("def handler(event):\n    return {'status': 200}\n")
    git(repo, "add", "app.py")
    probe = (
        "import sys\nfrom scanner.cli import main\ncode = main(['hook'])\n"
        "print(code, ' '.join(sorted(sys.modules)))\n"
    )
    for _ in range(2):  # the first run may parse the YAML and write the rule cache
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=repo, capture_output=True, text=True, check=True
        )
    code, modules = done.stdout.split(" ", 1)
    assert code == "0"
    loaded = set(modules.split())
    # Module objects, not names: a renamed module fails here instead of silently passing.
    # hashlib loads OpenSSL: only bulk scans digest (windows, the pure-Python prefilter's pieces).
    heavy = {"yaml", "hyperscan", "multiprocessing", "tomllib", "hashlib"} | {
        module.__name__
        for module in (report, html, baseline, history, forgery, reuse, remedies, memo)
    }
    # Code in docs and keys from other modules: nothing a clean commit of .py files needs.
    heavy |= {embedded.__name__, crossfile.__name__}
    assert loaded & heavy == set()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the tests below: pre-commit builds it once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _framework(repo: Path, home: Path, *hook_types: str) -> dict[str, str]:
    """Install the hook from this checkout's .pre-commit-hooks.yaml; the environment to run in."""
    rev = _project_commit()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: jwtscan\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    for hook_type in hook_types:
        subprocess.run(
            [sys.executable, "-m", "pre_commit", "install", "--hook-type", hook_type],
            cwd=repo,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_pre_commit_run_all_files_judges_every_file(repo: Path, pre_commit_home: Path) -> None:
    # Issue 12 item 4: with nothing staged, `pre-commit run --all-files` said "Passed" on a
    # repository full of findings: the hook read the (empty) staged lines only.
    env = _framework(repo, pre_commit_home)
    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, 'changeme');\n")
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "legacy", "--no-verify")
    run = _pre_commit(repo, env, "--all-files")
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "auth.js" in output
    assert "weak-secret" in output
    assert "changeme" not in output
    only_readme = _pre_commit(repo, env, "--files", "README.md")
    assert only_readme.returncode == 0, only_readme.stdout + only_readme.stderr
    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, process.env.JWT_SECRET);\n")
    git(repo, "commit", "-qam", "fixed", "--no-verify")
    clean = _pre_commit(repo, env, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_pre_commit_run_all_files_with_something_staged_still_judges_every_file(
    repo: Path, pre_commit_home: Path
) -> None:
    # Regression: with a change staged, `pre-commit run --all-files` judged the staged lines
    # only and passed a committed key in another file.
    env = _framework(repo, pre_commit_home)
    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, 'changeme');\n")
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "legacy", "--no-verify")
    (repo / "README.md").write_text("# demo, staged\n")
    git(repo, "add", "README.md")
    run = _pre_commit(repo, env, "--all-files")
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "auth.js" in output
    assert "changeme" not in output


def test_pre_commit_ref_range_and_pre_push_judge_the_pushed_commits(
    repo: Path, tmp_path: Path, pre_commit_home: Path
) -> None:
    env = _framework(repo, pre_commit_home, "pre-push")
    (repo / "README.md").write_text("# demo\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, env=env, check=True)
    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, 'changeme');\n")
    git(repo, "add", "auth.js")
    git(repo, "commit", "-qm", "key", "--no-verify")
    head = git(repo, "rev-parse", "HEAD").strip()
    ranged = _pre_commit(repo, env, "--from-ref", base, "--to-ref", head)
    assert ranged.returncode == 1, ranged.stdout + ranged.stderr
    assert "auth.js" in ranged.stdout + ranged.stderr
    pushed = subprocess.run(
        ["git", "push", "origin", "main"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert pushed.returncode != 0, pushed.stdout + pushed.stderr
    assert "auth.js" in pushed.stdout + pushed.stderr
    assert git(origin, "rev-parse", "main").strip() == base


def test_hook_a_pre_push_that_rewinds_a_branch_has_nothing_to_judge(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # pre-commit sets FROM_REF (the remote's commit) and TO_REF (the pushed one); a rewind to an
    # ancestor pushes no commit: that is an answer, unlike an empty range in CI (exit 2).
    for name in ("a", "b"):
        (repo / name).write_text(f"{name}\n")
        git(repo, "add", name)
        git(repo, "commit", "-qm", name)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", git(repo, "rev-parse", "HEAD").strip())
    monkeypatch.setenv("PRE_COMMIT_TO_REF", git(repo, "rev-parse", "HEAD~1").strip())
    assert main(["hook", "a"]) == 0
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", git(repo, "rev-parse", "HEAD").strip())
    (repo / "auth.js").write_text(SIGN_LINE)
    git(repo, "add", "auth.js")
    git(repo, "commit", "-qm", "key")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", git(repo, "rev-parse", "HEAD").strip())
    assert main(["hook", "auth.js"]) == 1
    assert "changeme" not in capsys.readouterr().out

"""The GitHub Action and `jwtscan ci`, run against real repositories with CI variables set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scanner.cli import main
from tests.conftest import ROOT, git

SIGN = "module.exports = (p) => jwt.sign(p, '{key}');\n"


def _commit(repo: Path, name: str, text: str) -> str:
    (repo / name).write_text(text)
    git(repo, "add", name)
    git(repo, "commit", "-qm", f"change {name}")
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, str, str]:
    """An upstream repository with a base commit and a feature commit adding a weak key."""
    work = tmp_path / "upstream"
    work.mkdir()
    git(work, "init", "-q")
    for i in range(5):
        base = _commit(work, "notes.txt", f"{i}\n")
    head = _commit(work, "auth.js", SIGN.format(key="changeme"))
    return work, base, head


def _pull_request_env(tmp_path: Path, base: str, head: str) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}, "head": {"sha": head}}}))
    summary = tmp_path / "summary.md"
    summary.write_text("")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(summary),
    }


def _shallow_clone(origin: Path, target: Path) -> Path:
    git(origin.parent, "clone", "-q", "--depth", "1", f"file://{origin}", str(target))
    return target


def test_ci_fetches_a_missing_base_in_a_shallow_clone(
    origin: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upstream, base, head = origin
    clone = _shallow_clone(upstream, tmp_path / "clone")
    for name, value in _pull_request_env(tmp_path, base, head).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(clone)
    code = main(["ci", "--sarif", str(tmp_path / "out.sarif")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "auth.js" in out
    assert "changeme" not in out
    assert "fetched" in err
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert (
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
            "uri"
        ]
        == "auth.js"
    )
    assert "auth.js" in (tmp_path / "summary.md").read_text()


def test_ci_without_fetch_fails_loudly_on_a_shallow_clone(
    origin: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upstream, base, head = origin
    clone = _shallow_clone(upstream, tmp_path / "clone")
    for name, value in _pull_request_env(tmp_path, base, head).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(clone)
    code = main(["ci", "--no-fetch"])
    err = capsys.readouterr().err
    assert code == 2
    assert "shallow clone" in err
    assert "fetch-depth: 0" in err


def test_ci_fails_when_the_base_cannot_be_fetched(
    origin: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upstream, _, head = origin
    clone = _shallow_clone(upstream, tmp_path / "clone")
    for name, value in _pull_request_env(tmp_path, "1" * 40, head).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(clone)
    assert main(["ci"]) == 2


def test_ci_push_event_and_first_push_of_a_branch(
    origin: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upstream, base, head = origin
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{upstream}", str(clone))
    event = tmp_path / "push.json"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.chdir(clone)
    event.write_text(json.dumps({"before": base, "after": head}))
    assert main(["ci"]) == 1
    git(clone, "checkout", "-qb", "feature")
    feature = _commit(clone, "server.js", SIGN.format(key="supersecret"))
    monkeypatch.setenv("GITHUB_REF_NAME", "feature")
    event.write_text(json.dumps({"before": "0" * 40, "after": feature}))
    capsys.readouterr()
    assert main(["ci"]) == 1
    out = capsys.readouterr().out
    assert "server.js" in out
    assert "auth.js" not in out  # already on origin/main: not this push's doing


def test_action_steps_run_as_github_would(origin: tuple[Path, str, str], tmp_path: Path) -> None:
    """Run the composite action's own shell steps, installing jwtscan from this checkout."""
    upstream, base, head = origin
    clone = _shallow_clone(upstream, tmp_path / "clone")
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs["sarif"] = str(tmp_path / "action.sarif")
    inputs["python"] = sys.executable
    env = {
        **os.environ,
        **_pull_request_env(tmp_path, base, head),
        "GITHUB_ACTION_PATH": str(ROOT),
        "RUNNER_TEMP": str(tmp_path / "runner"),
    }
    (tmp_path / "runner").mkdir()
    codes = []
    for step in action["runs"]["steps"]:
        step_env = {key: _expand(value, inputs) for key, value in step.get("env", {}).items()}
        completed = subprocess.run(
            ["bash", "-c", step["run"]],
            cwd=clone,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            check=False,
        )
        codes.append(completed.returncode)
        if completed.returncode not in (0, 1):
            pytest.fail(f"step {step['name']} failed: {completed.stderr[-2000:]}")
    assert codes == [0, 1]
    assert json.loads((tmp_path / "action.sarif").read_text())["runs"][0]["results"]


def _expand(value: str, inputs: dict[str, str]) -> str:
    for name, given in inputs.items():
        value = value.replace("${{ inputs." + name + " }}", given)
    return value


@pytest.fixture
def pushed(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A bare origin whose main holds a weak key; a developer pushes a new branch 'feature'
    whose one commit adds another; the CI checkout is a fresh clone of the origin (as GitHub's
    and GitLab's runners fetch it: refs/remotes/origin/feature is there). Returns the CI clone,
    the developer's clone, main's head and the feature head."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    developer = tmp_path / "developer"
    git(tmp_path, "clone", "-q", str(origin), str(developer))
    _commit(developer, "notes.txt", "base\n")
    main_head = _commit(developer, "auth.js", SIGN.format(key="changeme"))
    git(developer, "push", "-q", "origin", "main")
    git(developer, "checkout", "-qb", "feature")
    feature = _commit(developer, "server.js", SIGN.format(key="supersecret"))
    git(developer, "push", "-q", "origin", "feature")
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--branch", "feature", str(origin), str(ci))
    assert "origin/feature" in git(ci, "branch", "-r")
    return ci, developer, main_head, feature


def _new_branch_env(tmp_path: Path, kind: str, head: str, branch: str) -> dict[str, str]:
    if kind == "gitlab":
        return {
            "GITLAB_CI": "true",
            "CI_COMMIT_SHA": head,
            "CI_COMMIT_BEFORE_SHA": "0" * 40,
            "CI_COMMIT_BRANCH": branch,
        }
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"before": "0" * 40, "after": head, "created": True}))
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REF": f"refs/heads/{branch}",
        "GITHUB_REF_NAME": branch,
    }


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_ci_first_push_of_a_branch_scans_its_commits(
    pushed: tuple[Path, Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    # Issue 12 item 1: the branch's own remote ref hid every commit ("0 file(s) scanned", exit 0).
    ci, _, _, feature = pushed
    for name, value in _new_branch_env(tmp_path, kind, feature, "feature").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ci)
    code = main(["ci"])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "server.js" in out
    assert "auth.js" not in out  # on origin/main already: not this push's doing
    assert "supersecret" not in out
    assert main(["scan", "--range", "auto", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {f["path"] for f in report["findings"]} == {"server.js"}


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_ci_new_branch_without_new_commits_is_no_verdict(
    pushed: tuple[Path, Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    # An empty scan in CI is exit 2 with advice, never a green.
    ci, developer, main_head, _ = pushed
    git(developer, "push", "-q", "origin", f"{main_head}:refs/heads/copy")
    git(ci, "fetch", "-q", "origin")
    for name, value in _new_branch_env(tmp_path, kind, main_head, "copy").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ci)
    assert main(["ci"]) == 2
    assert "has no commits, so nothing was judged" in capsys.readouterr().err


def test_ci_first_push_of_a_repository_scans_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The only remote branch is the pushed one, and origin/HEAD points at it.
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    developer = tmp_path / "developer"
    git(tmp_path, "clone", "-q", str(origin), str(developer))
    head = _commit(developer, "auth.js", SIGN.format(key="changeme"))
    git(developer, "push", "-q", "origin", "main")
    ci = tmp_path / "ci"
    git(tmp_path, "clone", "-q", str(origin), str(ci))
    assert "origin/HEAD -> origin/main" in git(ci, "branch", "-r")
    for name, value in _new_branch_env(tmp_path, "github", head, "main").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ci)
    assert main(["ci"]) == 1
    assert "auth.js" in capsys.readouterr().out


def test_ci_a_range_file_that_was_never_read_is_no_verdict(
    pushed: tuple[Path, Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every path the range adds content to is judged or skipped with a reason. Here git diffs
    # the JSON as binary (no added lines to read): it must not pass in silence (exit 0).
    ci, developer, _, feature = pushed
    (developer / ".gitattributes").write_text("*.json -diff\n")
    (developer / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\0\x01")
    _commit(developer, "config.json", '{"jwt": {"secret": "changeme-please"}}\n')
    git(developer, "add", "-A")
    git(developer, "commit", "-qm", "logo")
    head = git(developer, "rev-parse", "HEAD").strip()
    git(developer, "push", "-q", "origin", "feature")
    monkeypatch.chdir(ci)
    git(ci, "pull", "-q", "--ff-only", "origin", "feature")  # .gitattributes applies here
    code = main(["scan", "--range", f"{feature}..{head}"])
    out, err = capsys.readouterr()
    assert code in (1, 2)  # judged (a finding), or named as not judged (no verdict)
    assert "config.json" in out
    assert "changeme-please" not in out
    assert "not judged: logo.png: binary" in err  # a real binary is named, and passes


def test_ci_flags_a_change_to_the_settings_for_review(
    origin: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 13 item 9: the pull request's own settings are not used, and their change is shown.
    upstream, base, _ = origin
    (upstream / "auth.js").unlink()
    git(upstream, "commit", "-qam", "no key")
    (upstream / ".jwtscan.yaml").write_text("allow: [changeme]\n")
    git(upstream, "add", ".jwtscan.yaml")
    head = _commit(upstream, "auth.js", SIGN.format(key="changeme"))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{upstream}", str(clone))
    for name, value in _pull_request_env(tmp_path, base, head).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(clone)
    assert main(["ci"]) == 1
    out, err = capsys.readouterr()
    assert "auth.js" in out
    assert "::warning file=.jwtscan.yaml,title=jwtscan settings changed::" in out
    assert "review: the range changes jwtscan's settings (.jwtscan.yaml)" in err


def test_ci_first_push_of_a_branch_from_a_shallow_checkout(
    pushed: tuple[Path, Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # actions/checkout's default: one commit of one branch. The other branches are fetched to
    # tell the push's commits from those already there.
    _, _, _, feature = pushed
    shallow = tmp_path / "shallow"
    origin = f"file://{tmp_path / 'origin.git'}"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin, str(shallow))
    for name, value in _new_branch_env(tmp_path, "github", feature, "feature").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(shallow)
    assert main(["ci"]) == 1
    out, err = capsys.readouterr()
    assert "server.js" in out
    assert "auth.js" not in out
    assert "fetched every branch" in err

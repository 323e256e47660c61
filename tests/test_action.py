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
from tests.conftest import git

ROOT = Path(__file__).resolve().parent.parent
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

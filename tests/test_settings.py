"""Which settings apply: one configuration per repository (the root's), globs relative to their
file, sizes with units; and a range is judged by its base commit's settings and baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from tests.conftest import git

SIGN = "module.exports = (p) => jwt.sign(p, '{key}');\n"


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str]], str]:
    code = main(["scan", "--format", "json", *args])
    out, err = capsys.readouterr()
    report: dict[str, Any] = json.loads(out) if out.startswith("{") else {"findings": []}
    return code, sorted((f["path"], f["kind"]) for f in report["findings"]), err


def _commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_nested_configuration_does_not_change_results_with_the_directory(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 12 item 8: the nearest config replaced the root one, so a scan from service/ and
    # one from the root disagreed; the nested file's globs were matched from the root.
    (repo / ".jwtscan.yaml").write_text("exclude: [vendor]\n")
    service = repo / "service"
    (service / "tests").mkdir(parents=True)
    (service / "pyproject.toml").write_text('[tool.jwtscan]\nexclude = ["tests/**"]\n')
    (service / "tests" / "auth.test.js").write_text(SIGN.format(key="changeme"))
    (repo / "vendor").mkdir()
    (repo / "vendor" / "lib.js").write_text(SIGN.format(key="changeme"))
    (repo / "app.js").write_text(SIGN.format(key="supersecret"))
    _commit(repo, "base")
    monkeypatch.chdir(repo)
    from_root = _scan(capsys)
    monkeypatch.chdir(service)
    from_service = _scan(capsys)
    assert from_root[:2] == from_service[:2]
    assert {path for path, _ in from_root[1]} == {"app.js", "service/tests/auth.test.js"}
    assert "service/pyproject.toml: not used" in from_service[2]
    # Named explicitly, a file's globs are relative to its own folder.
    monkeypatch.chdir(repo)
    assert _scan(capsys, "--config", "service/pyproject.toml")[0] == 1
    _, found, _ = _scan(capsys, "--config", "service/pyproject.toml")
    assert {path for path, _ in found} == {"app.js", "vendor/lib.js"}


def test_max_file_size_with_a_unit_in_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 12 item 8: `max-file-size: 10M` was refused in configuration, accepted on the CLI.
    (repo / ".jwtscan.yaml").write_text("max-file-size: 1k\n")
    (repo / "big.js").write_text("// padding\n" * 200 + SIGN.format(key="changeme"))
    (repo / "app.js").write_text(SIGN.format(key="supersecret"))
    monkeypatch.chdir(repo)
    assert main(["scan"]) == 1
    out = capsys.readouterr().out
    assert "skipped big.js" in out
    (repo / ".jwtscan.yaml").write_text("max-file-size: 10M\n")
    code, found, _ = _scan(capsys)
    assert code == 1
    assert {path for path, _ in found} == {"app.js", "big.js"}


def _pull_request(repo: Path) -> str:
    """The base commit of a pull request (clean), with the head checked out after it."""
    (repo / "README.md").write_text("# app\n")
    return _commit(repo, "base")


@pytest.mark.parametrize(
    "settings",
    [
        "disable: [{rules}]\n",
        "allow: [changeme]\n",
        "exclude: [auth.js]\n",
        "max-file-size: 1\n",
        "fail-on: critical\nexclude: ['**']\n",
    ],
)
def test_pull_request_cannot_switch_its_own_gate_off(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, settings: str
) -> None:
    # Issue 13 item 9: a pull request's own .jwtscan.yaml was honoured by --range and ci.
    base = _pull_request(repo)
    monkeypatch.chdir(repo)
    (repo / "auth.js").write_text(SIGN.format(key="changeme"))
    assert main(["scan", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    rules = ", ".join(sorted({f["rule"] for f in report["findings"]}))
    (repo / ".jwtscan.yaml").write_text(settings.format(rules=rules))
    assert _scan(capsys)[0] in (0, 2)  # the working tree obeys the new settings...
    _commit(repo, "add auth with settings that hide it")
    code, found, err = _scan(capsys, "--range", f"{base}..HEAD")
    assert code == 1  # ...the range is judged by the base's
    assert "auth.js" in {path for path, _ in found}
    assert "the range changes jwtscan's settings (.jwtscan.yaml)" in err


def test_pull_request_cannot_baseline_its_own_key(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _pull_request(repo)
    monkeypatch.chdir(repo)
    (repo / "auth.js").write_text(SIGN.format(key="changeme"))
    (repo / ".jwtscan.yaml").write_text("baseline: .jwtscan-baseline.json\n")
    assert main(["baseline", "create"]) == 0
    assert main(["scan"]) == 0  # the baseline hides it in the working tree
    _commit(repo, "add auth and baseline it")
    capsys.readouterr()
    code, found, err = _scan(capsys, "--range", f"{base}..HEAD")
    assert code == 1
    assert "auth.js" in {path for path, _ in found}
    assert ".jwtscan-baseline.json" in err
    assert ".jwtscan.yaml" in err


def test_range_uses_the_base_settings_files(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base's allow list, word list and baseline apply, read from git objects; a change to
    # pyproject.toml outside [tool.jwtscan] is not a settings change.
    (repo / "ci").mkdir()
    (repo / "ci" / "keys.txt").write_text("corp-default-key-2024\n")
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.jwtscan]\nallow = ["changeme"]\n'
        'wordlists = ["ci/keys.txt"]\n'
    )
    base = _commit(repo, "base settings")
    monkeypatch.chdir(repo)
    (repo / "ci" / "keys.txt").unlink()
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "app2"\n\n[tool.jwtscan]\nallow = ["changeme"]\n'
        'wordlists = ["ci/keys.txt"]\n'
    )
    (repo / "ci" / "keys.txt").write_text("")  # the word list emptied by the change
    (repo / "test.js").write_text(SIGN.format(key="changeme"))  # allowed by the base
    (repo / "auth.js").write_text(SIGN.format(key="corp-default-key-2024"))
    _commit(repo, "change")
    code, found, err = _scan(capsys, "--range", f"{base}..HEAD")
    assert code == 1
    assert found == [("auth.js", "weak-secret")]  # weak by the base's word list
    assert "ci/keys.txt" in err
    assert "pyproject.toml" not in err


def test_range_reads_command_line_settings_files_from_the_base(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workflow names the files (--baseline, --config); the pull request owns their content.
    base = _pull_request(repo)
    monkeypatch.chdir(repo)
    (repo / "auth.js").write_text(SIGN.format(key="changeme"))
    (repo / "ci").mkdir()
    (repo / "ci" / "jwtscan.yaml").write_text("allow: [changeme]\n")
    assert main(["baseline", "create", "--baseline", "ci/baseline.json"]) == 0
    _commit(repo, "add auth, allow it and baseline it")
    capsys.readouterr()
    for option in (["--baseline", "ci/baseline.json"], ["--config", "ci/jwtscan.yaml"]):
        code, found, err = _scan(capsys, "--range", f"{base}..HEAD", *option)
        assert code == 1, err
        assert {path for path, _ in found} == {"auth.js"}
        assert option[1] in err

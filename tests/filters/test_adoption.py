"""Adopting jwtscan on a codebase with findings: configuration, and a baseline that holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import git, run_main

WEAK = "module.exports = (p) => jwt.sign(p, 'changeme');\n"
OTHER = "module.exports = (p) => jwt.verify(p, 'supersecret');\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (".jwtscan.yaml", "exclude: [legacy]\n"),
        (".jwtscan.toml", 'exclude = ["legacy"]\n'),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.jwtscan]\nexclude = ["legacy"]\n'),
    ],
)
def test_configuration_is_found_from_a_subdirectory(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: str,
) -> None:
    (repo / name).write_text(content)
    (repo / "legacy").mkdir()
    (repo / "legacy" / "auth.js").write_text(WEAK)
    (repo / "services" / "api").mkdir(parents=True)
    monkeypatch.chdir(repo / "services" / "api")
    assert run_main(capsys, "scan")[0] == 0
    (repo / "services" / "api" / "auth.js").write_text(WEAK)
    assert run_main(capsys, "scan")[0] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("fail-on: urgent\n", "'fail-on' must be one of"),
        ("max-file-size: big\n", "'max-file-size': not a size: 'big'"),
        ("max-file-size: 0\n", "'max-file-size' must be a positive integer or a size"),
        ("disable: [no-such-rule]\n", "'disable' names unknown rule id(s)"),
        ("rules: rules.yaml\n", "'rules' must be a list"),
        ("colour: blue\n", "unknown key(s) colour"),
    ],
)
def test_configuration_errors_name_file_and_key(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    message: str,
) -> None:
    (repo / ".jwtscan.yaml").write_text(content)
    monkeypatch.chdir(repo)
    code, _, err = run_main(capsys, "scan")
    assert code == 2
    assert ".jwtscan.yaml" in err
    assert message in err


def test_configuration_disable_allow_and_fail_on(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "auth.js").write_text(WEAK)
    (repo / ".env.local").write_text("PORT=1\n")
    assert run_main(capsys, "scan")[0] == 1
    (repo / ".jwtscan.yaml").write_text("disable: [env-file-unignored]\nallow: [changeme]\n")
    assert run_main(capsys, "scan")[0] == 0
    (repo / ".jwtscan.yaml").write_text("fail-on: critical\n")
    code, out, _ = run_main(capsys, "scan")
    assert code == 1  # the weak key is critical
    (repo / "auth.js").unlink()
    code, out, _ = run_main(capsys, "scan")
    assert code == 0  # the unignored .env is medium: reported, not failing
    assert "env-file-unignored" in out


def test_hook_honours_the_configuration(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".jwtscan.yaml").write_text("exclude: [fixtures]\n")
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "auth.js").write_text(WEAK)
    git(repo, "add", "-A")
    assert run_main(capsys, "hook")[0] == 0


def test_baseline_reports_only_new_findings_and_survives_code_motion(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "auth.js").write_text(WEAK)
    code, out, _ = run_main(capsys, "baseline", "create")
    assert code == 0
    baseline = repo / ".jwtscan-baseline.json"
    first = baseline.read_text()
    document = json.loads(first)
    assert document["version"] == 2
    [entry] = document["entries"]
    assert set(entry) == {"rule", "path", "hash"}
    assert "changeme" not in first
    assert run_main(capsys, "scan", "--baseline", str(baseline))[0] == 0
    (repo / "auth.js").write_text("// moved down\n\n\n" + WEAK)
    assert run_main(capsys, "scan", "--baseline", str(baseline))[0] == 0
    (repo / "auth.js").write_text(WEAK + OTHER)
    code, out, _ = run_main(capsys, "scan", "--baseline", str(baseline), "--format", "json")
    assert code == 1
    assert [f["line"] for f in json.loads(out)["findings"]] == [2]
    assert run_main(capsys, "baseline", "update")[0] == 0
    assert baseline.read_text() == first  # nothing unused: unchanged, byte for byte


def test_baseline_unused_entries_are_reported_and_pruned(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "a.js").write_text(WEAK)
    (repo / "b.js").write_text(OTHER)
    run_main(capsys, "baseline", "create")
    (repo / "b.js").unlink()
    code, _, err = run_main(
        capsys, "scan", "--baseline", ".jwtscan-baseline.json", "--report-unused"
    )
    assert code == 0
    assert "unused baseline entry jsonwebtoken-literal-key b.js" in err
    assert run_main(capsys, "baseline", "update", "--baseline", ".jwtscan-baseline.json")[0] == 0
    entries = json.loads((repo / ".jwtscan-baseline.json").read_text())["entries"]
    assert [e["path"] for e in entries] == ["a.js"]


def test_baseline_malformed_is_an_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "bad.json").write_text('{"version": 1}')
    code, _, err = run_main(capsys, "scan", "--baseline", "bad.json")
    assert code == 2
    assert "malformed baseline" in err


def test_hook_never_rewrites_the_baseline(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "auth.js").write_text(WEAK)
    run_main(capsys, "baseline", "create")
    (repo / ".jwtscan.yaml").write_text("baseline: .jwtscan-baseline.json\n")
    before = (repo / ".jwtscan-baseline.json").read_bytes()
    git(repo, "add", "-A")
    assert run_main(capsys, "hook")[0] == 0
    assert (repo / ".jwtscan-baseline.json").read_bytes() == before

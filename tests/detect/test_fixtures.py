"""Realistic fixture projects per ecosystem: exact (rule, path, line) for every finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from benchmarks.fakes import materialize
from scanner.detect.driver import scan
from scanner.detect.loader import load_ruleset
from scanner.pipeline import analyse
from scanner.sources.content import DEFAULT_MAX_FILE_SIZE
from scanner.sources.tree import read_files, resolve_target
from tests.conftest import ROOT, commit, run_main

FIXTURES = ROOT / "tests" / "fixtures"
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.yaml").is_file())
RULESET = load_ruleset()


@pytest.mark.parametrize("project", PROJECTS)
def test_fixture_project_findings_are_exact(project: str, tmp_path: Path) -> None:
    materialize(FIXTURES / project, tmp_path)
    expected_file = tmp_path / "expected.yaml"
    expected = {
        (entry["rule"], entry["path"], entry["line"], entry["kind"])
        for entry in yaml.safe_load(expected_file.read_text()) or []
    }
    expected_file.unlink()
    result = scan(read_files(resolve_target([tmp_path], []), DEFAULT_MAX_FILE_SIZE), RULESET)
    findings = analyse(result.findings, RULESET.weak)
    found = {(f.rule_id, f.path, f.line, f.kind) for f in findings}
    assert result.complete
    assert sorted(found - expected) == [], "unexpected findings"
    assert sorted(expected - found) == [], "missed findings"


def test_language_fixture_through_git_and_the_cli(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same project committed to a real repository and scanned by `jwtscan scan` (JSON):
    # every finding of expected.yaml, none else, and the run fails on the blocking ones.
    materialize(FIXTURES / "languages-and-none", repo)
    expected_file = repo / "expected.yaml"
    expected = {
        (entry["rule"], entry["path"], entry["line"], entry["kind"])
        for entry in yaml.safe_load(expected_file.read_text())
    }
    expected_file.unlink()
    commit(repo, "languages")
    code, out, _ = run_main(capsys, "-C", str(repo), "scan", "--format", "json", "--no-crack")
    findings = json.loads(out)["findings"]
    assert {(f["rule"], f["path"], f["line"], f["kind"]) for f in findings} == expected
    assert code == 1
    # redacted by default: neither a bare DER private key nor a random HMAC key is printed
    der_key = (repo / "config/application.yml").read_text().split("private-key: ")[1].split()[0]
    webhook_key = (repo / "hmac-webhooks/sign.js").read_text().split("'")[1]
    assert der_key not in out
    assert webhook_key not in out

"""Realistic fixture projects per ecosystem: exact (rule, path, line) for every finding."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.fakes import materialize
from scanner.detect.driver import scan
from scanner.detect.loader import load_ruleset
from scanner.pipeline import analyse
from scanner.sources.content import DEFAULT_MAX_FILE_SIZE
from scanner.sources.tree import read_files, resolve_target
from tests.conftest import ROOT

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

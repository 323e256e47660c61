"""Every kind of finding renders in every format, from the one table of per-kind facts."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from scanner.findings import (
    KIND_FACTS,
    Commit,
    Finding,
    FindingKind,
    Fix,
    Occurrence,
    ScanResult,
    Stats,
    redact,
)
from scanner.report import FORMATS, ReportOptions, render
from tests.conftest import git, sarif_schema

KINDS: tuple[FindingKind, ...] = get_args(FindingKind)
SECRET = fake_value("alnum", 40, "kinds:secret")


def test_every_kind_has_its_facts() -> None:
    assert set(KIND_FACTS) == set(KINDS)
    for facts in KIND_FACTS.values():
        assert facts.title
        assert facts.description.endswith(".")
        assert facts.cwes
        assert "security" in facts.tags


def _one_of_each() -> ScanResult:
    commit = Commit("ab" * 20, "Test Author", "author@example.com", "2020-01-02T03:04:05+00:00")
    base = Finding(
        rule_id="hardcoded-secret",
        kind="hardcoded-secret",
        severity="high",
        path="src/app.py",
        line=1,
        column=5,
        end_line=1,
        end_column=45,
        secret=SECRET,
        message=f"Signing key hardcoded: long enough ({redact(SECRET)})",
        reasons=("long enough",),
        remediation=Fix("Read it from the environment.", "code", "jwtscan generate", "rotate"),
        commit=commit,
        at_head=False,
        occurrences=(Occurrence("src/old.py", 2, commit),),
        signs=("tokens.json:1",),
        token=(("alg", "HS256"),),
        age_days=400,
    )
    findings = tuple(
        replace(
            base,
            rule_id=kind,
            kind=kind,
            severity=KIND_FACTS[kind].severity or "low",
            path=f"src/{kind}.py",
            line=None if kind.startswith("env-file") else index + 1,
        )
        for index, kind in enumerate(KINDS)
    )
    return ScanResult(findings, Stats(files=13, bytes=1300, seconds=0.5, skipped=(), unreadable=()))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "input", "br", "line", "rect", "option"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("rect", "line", "option"):
            return
        assert self.open.pop() == tag


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_kind_renders_in_every_format(fmt: str) -> None:
    result = _one_of_each()
    out = render(fmt, result, ReportOptions())
    assert SECRET not in out
    if fmt not in ("text", "json"):  # public formats: not even the redacted prefix
        assert redact(SECRET) not in out
    match fmt:
        case "text":
            for kind in KINDS:
                assert f" {kind}  [" in out
        case "json":
            assert [f["kind"] for f in json.loads(out)["findings"]] == list(KINDS)
        case "sarif":
            document = json.loads(out)
            schema = sarif_schema()
            jsonschema.validators.validator_for(schema)(schema).validate(document)
            run = document["runs"][0]
            assert [r["properties"]["kind"] for r in run["results"]] == list(KINDS)
            rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
            for kind, facts in KIND_FACTS.items():  # each finding has its kind as rule id
                assert rules[kind]["shortDescription"]["text"] == facts.title
                assert rules[kind]["fullDescription"]["text"] == facts.description
        case "github":
            lines = out.splitlines()
            assert len(lines) == len(KINDS) + 1
            assert all(line.startswith("::") for line in lines[:-1])
        case "junit":
            cases = ET.fromstring(out).findall(".//testcase")
            assert [c.get("classname") for c in cases] == [f"jwtscan.{k}" for k in KINDS]
        case "markdown":
            for kind in KINDS:
                assert f"| {kind} | 1 |" in out
        case "html":
            parser = _Tags()
            parser.feed(out)
            assert parser.open == []
            for kind, facts in KIND_FACTS.items():
                assert f'data-kind="{kind}"' in out
                assert facts.title in out


def _commit(repo: Path, when: datetime) -> None:
    git(repo, "add", "-A")
    stamp = when.isoformat()
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "commit", "-qm", "keys"], cwd=repo, env=env, check=True)


@pytest.fixture
def shared_old_key(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One random key, two years old, in the production and the development configuration."""
    key = fake_value("alnum", 48, "kinds:shared")
    (repo / "config").mkdir()
    (repo / "config/application-prod.yml").write_text(f"jwt:\n  secret: {key}\n")
    (repo / "config/application-dev.yml").write_text(f"# dev\njwt:\n  secret: {key}\n")
    _commit(repo, datetime.now(timezone.utc) - timedelta(days=800))
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize("fmt", ["sarif", "html"])
@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (("--history", "--max-key-age", "365"), "stale-key"),
        ((), "secret-reused-across-environments"),
    ],
    ids=["stale-key", "reused-key"],
)
def test_stale_and_reused_keys_render_end_to_end(
    shared_old_key: Path, tmp_path: Path, fmt: str, args: tuple[str, ...], kind: str
) -> None:
    """Regression: these kinds were missing from the SARIF wording table (KeyError, exit 2)."""
    out = tmp_path / f"report.{fmt}"
    assert main(["scan", "--quiet", *args, "--format", fmt, "--output", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    if fmt == "sarif":
        document: dict[str, Any] = json.loads(text)
        schema = sarif_schema()
        jsonschema.validators.validator_for(schema)(schema).validate(document)
        rules = document["runs"][0]["tool"]["driver"]["rules"]
        (rule,) = (r for r in rules if r["id"] == kind)
        assert rule["shortDescription"]["text"] == KIND_FACTS[kind].title  # type: ignore[index]
    else:
        assert f'data-kind="{kind}"' in text

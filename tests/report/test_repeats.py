"""A value found in several places renders in every format as one finding that lists them all."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import jsonschema
import pytest

from benchmarks.fakes import fake_value
from scanner.findings import Finding, Fix, Occurrence, ScanResult, Stats, redact
from scanner.report import FORMATS, ReportOptions, render
from tests.conftest import sarif_schema

SECRET = fake_value("alnum", 48, "report-repeats:secret")


def _grouped() -> ScanResult:
    finding = Finding(
        rule_id="python-jwt-secret-setting",
        kind="hardcoded-secret",
        severity="high",
        path="src/app.py",
        line=3,
        column=15,
        end_line=3,
        end_column=63,
        secret=SECRET,
        message=f"Signing key hardcoded: long enough ({redact(SECRET)})",
        reasons=("long enough",),
        remediation=Fix("Read it from the environment.", "code", "jwtscan generate", "rotate"),
        context="app",
        blocking=True,
        occurrences=(
            Occurrence(
                "tests/auth.test.js",
                2,
                None,
                column=14,
                end_line=2,
                end_column=62,
                rule_id="jsonwebtoken-literal-key",
                severity="high",
                context="test",
                context_reasons=("path tests/",),
                blocking=False,
            ),
            Occurrence(
                "docs/[guide].md",
                7,
                None,
                column=5,
                end_line=7,
                end_column=53,
                rule_id="python-jwt-secret-setting",
                severity="medium",
                context="docs",
                context_reasons=("path docs/",),
                blocking=False,
            ),
        ),
    )
    return ScanResult((finding,), Stats(files=3, bytes=300, seconds=0.1, skipped=(), unreadable=()))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_grouped_finding_lists_its_places_in_every_format(fmt: str) -> None:
    out = render(fmt, _grouped(), ReportOptions())
    assert SECRET not in out
    match fmt:
        case "text":
            assert "1 finding(s) at 3 places (1 high) in 3 file(s)" in out
            assert "also    2 other place(s), the same value:" in out
            assert "tests/auth.test.js:2:14 (test, reported only) [jsonwebtoken-literal-key]" in out
            assert "docs/[guide].md:7:5 (docs, reported only)\n" in out  # its rule is the same
        case "json":
            document = json.loads(out)
            [finding] = document["findings"]
            assert finding["occurrences"][0] == {
                "path": "tests/auth.test.js",
                "line": 2,
                "commit": None,
                "column": 14,
                "end_line": 2,
                "end_column": 62,
                "rule": "jsonwebtoken-literal-key",
                "severity": "high",
                "context": "test",
                "context_reasons": ["path tests/"],
                "blocking": False,
            }
            stats = document["stats"]
            assert (stats["findings"], stats["places"], stats["blocking"]) == (1, 3, 1)
        case "sarif":
            document = json.loads(out)
            schema = sarif_schema()
            jsonschema.validators.validator_for(schema)(schema).validate(document)
            [result] = document["runs"][0]["results"]
            related = result["relatedLocations"]
            assert [r["id"] for r in related] == [1, 2]
            first = related[0]["physicalLocation"]
            assert first["artifactLocation"]["uri"] == "tests/auth.test.js"
            assert first["region"] == {
                "startLine": 2,
                "startColumn": 14,
                "endLine": 2,
                "endColumn": 62,
            }
            seen = related[0]["message"]["text"]
            assert seen == "the same value, seen here (test, reported only)"
            # GitHub shows related locations through links in the message
            text = result["message"]["text"]
            assert "[tests/auth.test.js:2](1) (test, reported only)" in text
            assert "[docs/\\[guide\\].md:7](2) (docs, reported only)" in text
            assert result["properties"]["places"] == 3
            assert result["level"] == "error"
        case "github":
            lines = out.splitlines()
            # one annotation per place where someone must act, the finding's own first
            assert len(lines) == 4
            assert lines[0].startswith("::error file=src/app.py,line=3,")
            assert lines[1].startswith(
                "::notice file=tests/auth.test.js,line=2,endLine=2,col=14,endColumn=62,"
                "title=jwtscan jsonwebtoken-literal-key::"
            )
            assert "the same value as at src/app.py:3" in lines[1]
            assert "Context: test, reported only" in lines[1]
            assert lines[2].startswith("::notice file=docs/[guide].md,line=7,")
            assert lines[3].startswith("jwtscan: 1 finding(s) at 3 places")
        case "junit":
            [case] = ET.fromstring(out).findall(".//testcase")
            failure = case.find("failure")
            assert failure is not None
            assert failure.text is not None
            assert "also at: tests/auth.test.js:2:14 (test, reported only)" in failure.text
            assert "also at: docs/[guide].md:7:5 (docs, reported only)" in failure.text
        case "markdown":
            assert "also at tests/auth.test.js:2:14 (test, reported only)" in out
            assert "1 finding(s) at 3 places" in out
        case "html":
            assert "also in 2 other place(s)" in out
            place = "tests/auth.test.js:2:14 (test, reported only) [jsonwebtoken-literal-key]"
            assert f"<li>{place}</li>" in out


def test_sarif_links_at_most_ten_places_and_relates_them_all() -> None:
    result = _grouped()
    [finding] = result.findings
    many = tuple(Occurrence(f"tests/t{i}.py", i + 1, None, context="test") for i in range(12))
    grouped = replace(result, findings=(replace(finding, occurrences=many),))
    [sarif] = json.loads(render("sarif", grouped, ReportOptions()))["runs"][0]["results"]
    assert len(sarif["relatedLocations"]) == 12
    assert sarif["message"]["text"].count("](") == 10
    assert "and 2 more place(s) (related locations)" in sarif["message"]["text"]
    text = render("text", grouped, ReportOptions())
    assert "and 2 more place(s)" in text

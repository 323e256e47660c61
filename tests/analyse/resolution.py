"""Helpers of the cross-file resolution tests: a JSON scan, and the findings it resolved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import run_main


def scan_findings(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, Any]]]:
    """The exit code and the findings of ``jwtscan scan --format json ARGS``."""
    code, out, err = run_main(capsys, "scan", "--format", "json", *args)
    assert code in (0, 1), err
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return code, findings


def resolved(findings: list[dict[str, Any]]) -> set[tuple[str, int, str, int]]:
    """(literal's path, line, sink's path, line) of each finding resolved from a sink."""
    out = set()
    for f in findings:
        if "used as the key at " in f["message"]:
            sink = f["message"].rsplit("used as the key at ", 1)[1]
            path, line = sink.rsplit(":", 1)
            out.add((f["path"], f["line"], path, int(line)))
    return out

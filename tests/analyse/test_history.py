"""Key age in history audits, and --max-key-age, on commits with set dates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from tests.conftest import commit

KEY = fake_value("alnum", 48, "aged-key")


def _history(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, list[dict[str, Any]]]:
    monkeypatch.chdir(repo)
    code = main(["scan", "--history", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["findings"]


@pytest.fixture
def aged(repo: Path) -> Path:
    now = datetime.now(timezone.utc)
    (repo / "auth.js").write_text(f"jwt.sign(payload, '{KEY}');\n")
    commit(repo, "add key", date=(now - timedelta(days=400)).isoformat())
    (repo / "README").write_text("later\n")
    commit(repo, "later work", date=(now - timedelta(days=5)).isoformat())
    return repo


def test_history_reports_key_age(
    aged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, findings = _history(aged, capsys, monkeypatch)
    [finding] = findings
    assert finding["at_head"] is True
    assert finding["age_days"] in (399, 400)
    assert finding["commit"]["date"].startswith(
        (datetime.now(timezone.utc) - timedelta(days=400)).date().isoformat()[:7]
    )


def test_max_key_age_reports_stale_keys(
    aged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, findings = _history(aged, capsys, monkeypatch, "--max-key-age", "365")
    stale = [f for f in findings if f["kind"] == "stale-key"]
    assert len(stale) == 1
    assert "more than the maximum of 365" in stale[0]["message"]
    _, findings = _history(aged, capsys, monkeypatch, "--max-key-age", "1000")
    assert [f["kind"] for f in findings] == ["hardcoded-secret"]


def test_removed_key_has_no_age(
    aged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (aged / "auth.js").unlink()
    commit(aged, "remove", date=datetime.now(timezone.utc).isoformat())
    _, findings = _history(aged, capsys, monkeypatch, "--max-key-age", "30")
    [finding] = findings
    assert finding["at_head"] is False
    assert finding["age_days"] is None


def test_max_key_age_needs_history(
    aged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(aged)
    assert main(["scan", "--max-key-age", "30"]) == 2
    assert "--max-key-age go with --history" in capsys.readouterr().err

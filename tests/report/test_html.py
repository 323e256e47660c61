"""The HTML audit report, rendered by a real headless Chromium: table, timeline, no JS errors."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.fakes import fake_pem, fake_value
from scanner.cli import main
from scanner.findings import Commit, Finding, Fix, ScanResult, Stats
from scanner.report import html
from tests.conftest import ROOT, git

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)
SCREENSHOT_COPY = ROOT / "benchmarks" / ".work"
CONSOLE = re.compile(r":CONSOLE[^\]]*\] (.*)")


@dataclass(frozen=True)
class Page:
    dom: str
    console: list[str]


def _chromium(tmp_path: Path, page: Path, *args: str) -> Page:
    """Load ``page`` in headless Chromium; the DOM after scripts ran, and the console."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return Page(done.stdout, CONSOLE.findall(done.stderr))


def _commit(repo: Path, monkeypatch: pytest.MonkeyPatch, date: str, author: str) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_DATE", date)
    monkeypatch.setenv("GIT_AUTHOR_NAME", author)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"work of {author}")


@pytest.fixture
def audited(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three commits over nine months: secrets added, one removed, a .env committed."""
    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, 'changeme');\n")
    (repo / "app.py").write_text(f'SECRET = "{fake_value("alnum", 48, "html:app")}"\n')
    _commit(repo, monkeypatch, "2023-01-15T10:00:00+00:00", "Ada")
    (repo / "app.py").write_text('SECRET = os.environ["JWT_SECRET"]\n')
    (repo / ".env").write_text(f"JWT_SECRET={fake_value('hex', 64, 'html:env')}\n")
    _commit(repo, monkeypatch, "2023-04-02T10:00:00+00:00", "Bob")
    (repo / "keys").mkdir()
    (repo / "keys" / "jwt.pem").write_text(fake_pem("ec", "html:pem") + "\n")
    _commit(repo, monkeypatch, "2023-09-20T10:00:00+00:00", "Cy <Test>")
    monkeypatch.chdir(repo)
    return repo


def _history_report(audited: Path, tmp_path: Path) -> tuple[Path, str]:
    report = tmp_path / "report.html"
    assert main(["scan", "--history", "--quiet", "--format", "html", "--output", str(report)]) == 1
    return report, report.read_text(encoding="utf-8")


def test_html_report_is_self_contained(audited: Path, tmp_path: Path) -> None:
    _, page = _history_report(audited, tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page
    assert "@import" not in page


@needs_chromium
def test_html_report_renders_in_chromium(audited: Path, tmp_path: Path) -> None:
    report, page = _history_report(audited, tmp_path)
    rows = len(re.findall(r"<tr data-severity=", page))
    assert rows >= 4

    loaded = _chromium(tmp_path, report, "--dump-dom")
    assert loaded.console == []  # no uncaught error, no CSP violation, nothing logged
    assert 'data-ready="true"' in loaded.dom  # the script ran to its end
    body = loaded.dom.split('id="findings-table"', 1)[1]
    assert len(re.findall(r"<tr data-severity=", body)) == rows
    assert f"{rows} of {rows} shown" in loaded.dom  # the filter script counted the rows
    chart = re.search(r'<svg class="chart".*?</svg>', loaded.dom, re.DOTALL)
    assert chart is not None
    bars = re.findall(r'<rect class="bar-(head|history)"', chart.group(0))
    assert set(bars) == {"head", "history"}
    for month in ("2023-01", "2023-04", "2023-09"):
        assert f">{month}</text>" in chart.group(0)
    assert "Cy" in body
    assert "history only" in body
    assert "still in HEAD" in body
    assert re.search(r"in use \d+ days", body)  # key age, for keys still in HEAD

    screenshot = tmp_path / "report-screenshot.png"
    _chromium(tmp_path, report, f"--screenshot={screenshot}", "--window-size=1280,2000")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one
    if SCREENSHOT_COPY.is_dir():
        shutil.copyfile(screenshot, SCREENSHOT_COPY / "report-screenshot.png")
    print(f"screenshot: {screenshot}")


@needs_chromium
def test_chromium_console_check_catches_script_errors(tmp_path: Path) -> None:
    """The check above is not vacuous: a failing script shows up in the console."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>notDefined();</script>", encoding="utf-8")
    loaded = _chromium(tmp_path, page, "--dump-dom")
    assert any("Uncaught ReferenceError" in line for line in loaded.console)


def test_html_report_without_dated_findings_has_a_note(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "auth.js").write_text("module.exports = (p) => jwt.sign(p, 'changeme');\n")
    monkeypatch.chdir(repo)
    report = tmp_path / "report.html"
    assert main(["scan", "--quiet", "--format", "html", "--output", str(report)]) == 1
    page = report.read_text(encoding="utf-8")
    assert "No dated findings" in page
    assert '<svg class="chart"' not in page
    assert "changeme" not in page
    assert "8-15 bytes" in page  # a guessable key: its size class, never its exact length
    assert "8 bytes" not in page


def test_html_report_of_a_clean_scan() -> None:
    page = html.render(
        ScanResult((), Stats(files=0, bytes=0, seconds=0.0, skipped=(), unreadable=())),
        False,
        False,
    )
    assert "jwtscan report: no findings" in page
    assert "No findings." in page
    assert "Stop new leaks" in page


def _hostile(show: bool) -> str:
    finding = Finding(
        rule_id="demo-rule",
        kind="hardcoded-secret",
        severity="high",
        path="<img src=x onerror=alert(1)>.js",
        line=1,
        column=1,
        end_line=1,
        end_column=5,
        secret="</td><script>alert(2)</script>",  # jwtscan:allow
        message="Signing key hardcoded: <b>bold</b>",
        reasons=("x",),
        remediation=Fix("Fix <it>", code="a && b"),
        commit=Commit("a" * 40, "Eve <script>", "eve@example.com", "2024-02-03T00:00:00+00:00"),
        at_head=False,
    )
    stats = Stats(files=1, bytes=1, seconds=0.0, skipped=(), unreadable=())
    return html.render(ScanResult((finding,), stats), show, False)


@pytest.mark.parametrize("show", [False, True])
def test_html_report_escapes_everything(show: bool) -> None:
    page = _hostile(show)
    assert "<img src=x" not in page
    assert "<script>alert" not in page
    assert "<b>bold" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.js:1" in page
    assert ("&lt;/td&gt;&lt;script&gt;alert(2)" in page) is show

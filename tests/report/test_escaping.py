"""Repository text in reports: control characters shown, never obeyed; odd bytes never crash."""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.report import FORMATS
from tests.conftest import git

WEAK_JS = "jwt.sign(payload, 'changeme');\n"
# What a terminal or a viewer would act on: C0 (but the line feed), DEL, C1, bidi controls.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CLEAR = "evil\x1b[2J\x1b]0;pwned\x07.js"  # clears the screen, retitles the terminal, rings
REVERSED = "invoice\u202egnp.js"  # shows as "invoicesj.png"
RULES = """\
rules:
  - id: house-signing-key
    description: "House key \\e[2J\\e]0;pwned\\a committed"
    kind: secret
    severity: high
    keywords: [housekey]
    regex: 'housekey = "(?P<secret>[^"]+)"'
    remediation: {fix: "Move it \\e[31mnow\\e[0m."}
    examples:
      - {text: 'housekey = "changeme-please"', secret: changeme-please}
"""


@pytest.fixture
def hostile(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """File names, a rule and a commit author that carry terminal escape sequences."""
    (repo / CLEAR).write_text(WEAK_JS)
    (repo / REVERSED).write_text("jwt.sign(payload, 'my-secret');\n")  # another key
    (repo / "house.py").write_text('housekey = "changeme-please"\n')
    (tmp_path / "rules.yaml").write_text(RULES)
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Mallory \x1b[8m", "GIT_AUTHOR_EMAIL": "m\x07@x"}
    subprocess.run(["git", "commit", "-qm", "\x1b[2Jkeys"], cwd=repo, env=env, check=True)
    monkeypatch.chdir(repo)
    return tmp_path / "rules.yaml"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mode", [(), ("--history",)], ids=["worktree", "history"])
def test_control_characters_from_the_repository_are_escaped(
    hostile: Path, tmp_path: Path, fmt: str, mode: tuple[str, ...]
) -> None:
    """Regression: escape sequences in file names went raw into the text report."""
    out = tmp_path / f"report.{fmt}"
    args = ["scan", "--quiet", *mode, "--rules", str(hostile), "--format", fmt]
    assert main([*args, "--output", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    match fmt:
        case "json":  # JSON escapes control characters itself
            assert CLEAR in [f["path"] for f in json.loads(text)["findings"]]
        case "sarif":
            results = json.loads(text)["runs"][0]["results"]
            uris = [
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
            ]
            assert "evil%1B%5B2J%1B%5D0%3Bpwned%07.js" in uris
        case "junit":
            ET.fromstring(text)
        case _:
            assert RAW.findall(text) == []
            shown = _unescaped_markdown(text) if fmt == "markdown" else text
            assert "evil\\x1b[2J\\x1b]0;pwned\\x07.js" in shown
            assert "invoice\\u202egnp.js" in shown
            assert "Move it \\x1b[31mnow\\x1b[0m." in shown  # a user rule's advice
    if fmt == "text" and mode:
        assert "Mallory \\x1b[8m <m\\x07@x>" in text


def _unescaped_markdown(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]<>|~&$])", r"\1", text)


INVALID = b"caf\xe9-\xff.js"  # Latin-1, not UTF-8


@pytest.fixture
def undecodable(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (repo / os.fsdecode(INVALID)).write_text(WEAK_JS)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "latin-1 name")
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "html", "junit"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(
    undecodable: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main(["scan", "--quiet", "--format", fmt, "--output", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "caf\\xe9-\\xff.js" in (_unescaped_markdown(text) if fmt == "markdown" else text)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_file_name_that_is_not_utf8_survives_json_and_sarif(
    undecodable: Path, tmp_path: Path, fmt: str
) -> None:
    """Regression: an invalid UTF-8 file name made JSON and SARIF an internal error (exit 2)."""
    out = tmp_path / f"report.{fmt}"
    assert main(["scan", "--quiet", "--format", fmt, "--output", str(out)]) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    if fmt == "json":
        (finding,) = document["findings"]
        assert os.fsencode(finding["path"]) == INVALID  # lossless: surrogate escapes
    else:
        (result,) = document["runs"][0]["results"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"] == "caf%E9-%FF.js"  # the bytes, percent-encoded


def test_notes_on_stderr_and_rule_listings_escape_repository_text(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: notes naming a file (here an ignored folder that was asked for) and
    ``rules list`` (a user rule's description) wrote escape sequences raw to the terminal."""
    monkeypatch.chdir(repo)
    folder = repo / "gen\x1b[31m"
    folder.mkdir()
    (folder / "a.txt").write_text("nothing here\n")
    (repo / ".gitignore").write_text("gen*\n")
    assert main(["scan", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "gen\\x1b[31m is ignored by git" in err
    assert "\x1b" not in err
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "rules:\n"
        "  - id: acme-key\n"
        '    description: "Acme key\\u001b]0;owned\\u0007"\n'
        "    kind: secret\n"
        "    severity: high\n"
        "    keywords: [acme_key]\n"
        '    regex: \'acme_key\\s*=\\s*"(?P<secret>[^"]+)"\'\n'
        "    remediation: {fix: Read it from the environment.}\n"
        "    examples:\n"
        "      - {text: 'acme_key = \"Zq8vN2rT5wX1yB4m\"', secret: Zq8vN2rT5wX1yB4m}\n"
        "    negative_examples:\n"
        "      - {text: 'acme_key = os.environ[\"ACME_KEY\"]'}\n"
    )
    assert main(["rules", "list", "--rules", str(rules)]) == 0
    out = capsys.readouterr().out
    assert "Acme key\\x1b]0;owned\\x07" in out
    assert "\x1b" not in out
    assert "\x07" not in out

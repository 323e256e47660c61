"""``main([...])`` in-process on real repositories: exit codes, reports, redaction."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.cli import main
from tests.conftest import git, run_main

JS_WEAK = (
    "const jwt = require('jsonwebtoken');\nmodule.exports = (p) => jwt.sign(p, 'my-secret');\n"
)


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_main(capsys, "scan", "--no-color", *args)


def test_scan_clean_repository_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "app.js").write_text("jwt.sign(payload, process.env.JWT_SECRET);\n")
    code, out, _ = _scan(capsys, str(repo))
    assert code == 0
    assert "no findings; 1 file(s) scanned" in out


def test_scan_weak_key_exits_1_and_redacts(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "auth.js").write_text(JS_WEAK)
    code, out, _ = _scan(capsys, str(repo))
    assert code == 1
    assert "auth.js" in out
    assert "2:38" in out
    assert "critical" in out
    assert "weak-secret" in out
    assert "in the weak-key dictionary" in out
    assert "my-secret" not in out
    assert "…(8-15 bytes)" in out  # a dictionary key: no prefix, a size class


def test_scan_show_secrets_opts_in(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "auth.js").write_text(JS_WEAK)
    code, out, _ = _scan(capsys, "--show-secrets", str(repo))
    assert code == 1
    assert "my-secret" in out


def test_scan_json_report_follows_schema(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "src").mkdir()
    (repo / "src" / "auth.js").write_text(JS_WEAK)
    code, out, _ = _scan(capsys, "--format", "json", str(repo))
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    assert report["tool"]["name"] == "jwtscan"
    assert report["complete"] is True
    [finding] = report["findings"]
    assert finding["rule"] == "jsonwebtoken-literal-key"
    assert finding["kind"] == "weak-secret"
    assert finding["severity"] == "critical"
    assert finding["path"] == "src/auth.js"
    assert (finding["line"], finding["column"], finding["end_line"]) == (2, 38, 2)
    assert finding["secret"] == "…(8-15 bytes)"
    assert finding["commit"] is None
    assert finding["strength"] == {  # a dictionary key: its size class, no entropy
        "length": 8,
        "entropy": 0.0,
        "bits": finding["strength"]["bits"],
        "algorithm": None,
        "required_bits": 256,
        "meets_rfc7518": False,
    }
    assert len(finding["fingerprint"]) == 24
    assert "process.env" in finding["remediation"]["summary"]
    assert finding["remediation"]["code"].startswith("const JWT_SECRET = process.env.JWT_SECRET;")
    assert finding["remediation"]["command"] == "jwtscan generate --env-file .env --name JWT_SECRET"
    assert "rewriting git history" in finding["remediation"]["rotate"]
    assert report["stats"]["files_scanned"] == 1
    assert report["stats"]["by_severity"]["critical"] == 1
    assert "my-secret" not in out


def test_scan_fingerprint_survives_code_motion(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "auth.js").write_text(JS_WEAK)
    _scan(capsys, "--format", "json", str(repo))
    (repo / "auth.js").write_text("// moved\n\n\n" + JS_WEAK)
    _, out, _ = _scan(capsys, "--format", "json", str(repo))
    moved = json.loads(out)["findings"][0]
    (repo / "auth.js").write_text(JS_WEAK)
    _, out, _ = _scan(capsys, "--format", "json", str(repo))
    original = json.loads(out)["findings"][0]
    assert moved["line"] != original["line"]
    assert moved["fingerprint"] == original["fingerprint"]


def test_scan_output_file(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "auth.js").write_text(JS_WEAK)
    report = tmp_path / "report.json"
    code, out, _ = _scan(capsys, "--format", "json", "--output", str(report), str(repo))
    assert code == 1
    assert out == ""
    assert json.loads(report.read_text())["findings"][0]["kind"] == "weak-secret"


def test_scan_respects_gitignore_but_sees_untracked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / "ignored").mkdir()
    (repo / "ignored" / "auth.js").write_text(JS_WEAK)
    (repo / "untracked.js").write_text(JS_WEAK)
    code, out, _ = _scan(capsys, "--format", "json", str(repo))
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["untracked.js"]


def test_scan_subdirectory_paths_are_relative_to_repository_root(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "a").mkdir()
    (repo / "b").mkdir()
    (repo / "a" / "auth.js").write_text(JS_WEAK)
    (repo / "b" / "auth.js").write_text(JS_WEAK)
    code, out, _ = _scan(capsys, "--format", "json", str(repo / "a"))
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["a/auth.js"]


def test_scan_outside_git_walks_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "auth.js").write_text(JS_WEAK)
    code, out, _ = _scan(capsys, "--format", "json", str(tmp_path))
    assert code == 1
    assert json.loads(out)["findings"][0]["path"] == "deep/er/auth.js"


def test_scan_exclude_glob(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "vendor").mkdir()
    (repo / "vendor" / "auth.js").write_text(JS_WEAK)
    code, _, _ = _scan(capsys, "--exclude", "vendor", str(repo))
    assert code == 0


def test_scan_reports_skipped_binary_and_large_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0" + JS_WEAK.encode())
    (repo / "big.js").write_text(JS_WEAK + "//" + "x" * 2000 + "\n")
    code, out, _ = _scan(capsys, "--max-file-size", "1k", str(repo))
    assert code == 0
    assert "skipped big.js: 2090 bytes, over --max-file-size" in out
    assert "1 binary skipped, 1 too-large skipped" in out
    code, out, _ = _scan(capsys, "--max-file-size", "1k", "--format", "json", str(repo))
    skipped = json.loads(out)["stats"]["skipped"]
    assert {(s["path"], s["reason"]) for s in skipped} == {
        ("image.png", "binary"),
        ("big.js", "too-large"),
    }


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")],
)
def test_scan_decodes_bom_marked_files(
    repo: Path, capsys: pytest.CaptureFixture[str], encoding: str, bom: bytes
) -> None:
    (repo / "auth.js").write_bytes(bom + JS_WEAK.encode(encoding))
    code, out, _ = _scan(capsys, "--format", "json", str(repo))
    assert code == 1
    assert json.loads(out)["findings"][0]["line"] == 2


def test_scan_does_not_follow_symlinks(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.js"
    outside.write_text(JS_WEAK)
    (repo / "link.js").symlink_to(outside)
    code, out, _ = _scan(capsys, str(repo))
    assert code == 0
    assert "1 symlink skipped" in out


@pytest.mark.parametrize(
    "comment",
    [
        "// jwtscan:allow",
        "// jwtscan:allow jsonwebtoken-literal-key",
        "// gitleaks:allow",
        "// pragma: allowlist secret",
    ],
)
def test_scan_honours_inline_allow_comments(
    repo: Path, capsys: pytest.CaptureFixture[str], comment: str
) -> None:
    (repo / "auth.js").write_text(f"jwt.sign(p, 'my-secret'); {comment}\n")
    assert _scan(capsys, str(repo))[0] == 0
    (repo / "auth.js").write_text(f"{comment}\njwt.sign(p, 'my-secret');\n")
    assert _scan(capsys, str(repo))[0] == 0


def test_scan_allow_comment_naming_another_rule_does_not_allow(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "auth.js").write_text("jwt.sign(p, 'my-secret'); // jwtscan:allow other-rule\n")
    assert _scan(capsys, str(repo))[0] == 1


def test_scan_missing_path_is_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _scan(capsys, str(tmp_path / "nope"))
    assert code == 2
    assert "no such file or directory" in err


def test_scan_bad_user_rule_exits_2_naming_file_and_rule(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "rules:\n  - id: my-rule\n    description: d\n    kind: secret\n    severity: high\n"
        "    keywords: [x]\n    regex: '(?P<secret>x'\n    remediation: {fix: f}\n"
    )
    code, _, err = _scan(capsys, "--rules", str(rules), str(repo))
    assert code == 2
    assert f"{rules}: rule my-rule: 'regex' does not compile" in err


def test_unknown_option_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_rules_list_shows_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    out, err = capsys.readouterr()
    assert "jsonwebtoken-literal-key" in out
    assert "weak-key dictionary of" in err


def test_rules_test_reports_failing_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "rules:\n  - id: my-rule\n    description: d\n    kind: secret\n    severity: high\n"
        '    keywords: [token_key]\n    regex: \'token_key = "(?P<secret>[^"]+)"\'\n'
        "    remediation: {fix: f}\n"
        "    examples:\n      - {text: 'token_key = \"changeme\"', secret: changeme}\n"
        "      - {text: 'token_key = changeme', secret: changeme}\n"
        "    negative_examples: ['token_key = \"\"']\n"
    )
    assert main(["rules", "test", str(rules)]) == 1
    out = capsys.readouterr().out
    assert "FAIL my-rule" in out
    assert "example does not yield its secret (found nothing): 'token_key = changeme'" in out
    assert "0 passed, 1 failed" in out


def test_python_dash_m_scanner_runs(repo: Path) -> None:
    (repo / "auth.js").write_text(JS_WEAK)
    completed = subprocess.run(
        [sys.executable, "-m", "scanner", "scan", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["findings"][0]["path"] == "auth.js"


def test_scan_from_subdirectory_covers_whole_repository(repo: Path) -> None:
    (repo / "sub").mkdir()
    (repo / "auth.js").write_text(JS_WEAK)
    git(repo, "add", "auth.js")
    completed = subprocess.run(
        [sys.executable, "-m", "scanner", "scan", "--format", "json"],
        cwd=repo / "sub",
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["findings"][0]["path"] == "auth.js"


def test_scan_config_excludes_paths(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".jwtscan.yaml").write_text("exclude:\n  - fixtures\n")
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "auth.js").write_text(JS_WEAK)
    assert _scan(capsys, str(repo))[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("exclude: fixtures\n", "'exclude' must be a list of non-empty strings"),
        ("exlude: [fixtures]\n", "unknown key(s) exlude"),
        ("exclude: [\n", "invalid YAML"),
    ],
)
def test_scan_invalid_config_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (repo / ".jwtscan.yaml").write_text(content)
    code, _, err = _scan(capsys, str(repo))
    assert code == 2
    assert ".jwtscan.yaml: " in err
    assert message in err


def test_output_closed_early_is_no_verdict_not_an_internal_error(tmp_path: Path) -> None:
    # jwtscan scan | true: the reader leaves before jwtscan has written the report.
    # (A listing cut short is no error: tests/test_cli_small.py.)
    (tmp_path / "auth.js").write_text("jwt.sign(payload, 'changeme');\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "scan", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    with process.stderr:
        error = process.stderr.read().decode()
    assert process.wait() == 2
    assert "closed before the report was written" in error
    assert "internal error" not in error
    assert "Traceback" not in error

"""Blocking from kind and context, in real git repositories: a key in application code or config
fails the run; the same in a test, docs, example, vendored or generated file is reported only,
unless it is also in application code, it is a private key outside tests and docs, or the
settings (--strict, fail-contexts) make its context block."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import commit_files, git


def _key(seed: int) -> str:
    """A random-looking key made at test time (never a real one)."""
    return "".join(random.Random(seed).choices("0123456789abcdef", k=64))


APP_KEY = _key(1)
TEST_KEY = _key(2)
DOCS_KEY = _key(3)


def _jwtscan(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scanner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _findings(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    return {f["path"]: f for f in json.loads(result.stdout)["findings"]}


def _places(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    """Every place by path: a finding's own and its occurrences (the same value elsewhere),
    each judged on its own."""
    findings = json.loads(result.stdout)["findings"]
    return {p["path"]: p for f in findings for p in (f, *f["occurrences"])}


def test_a_key_in_a_test_file_is_reported_but_does_not_block(repo: Path) -> None:
    commit_files(
        repo,
        {
            "tests/test_auth.py": f'JWT_SECRET = "{TEST_KEY}"\n',
            "docs/sign.js": "jwt.sign(payload, 'changeme');\n",
        },
    )
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 0, result.stderr
    found = _findings(result)
    assert found["tests/test_auth.py"]["context"] == "test"
    assert found["tests/test_auth.py"]["context_reasons"] == ["path tests/", "file name test_*.py"]
    assert found["tests/test_auth.py"]["blocking"] is False
    assert found["docs/sign.js"]["context"] == "docs"
    assert found["docs/sign.js"]["blocking"] is False
    assert json.loads(result.stdout)["stats"]["blocking"] == 0
    assert "2 finding(s) reported only, not blocking (1 test, 1 docs" in result.stderr


def test_the_same_key_in_app_code_blocks(repo: Path) -> None:
    commit_files(repo, {"src/app.py": f'JWT_SECRET = "{APP_KEY}"\n'})
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 1
    [finding] = _findings(result).values()
    assert (finding["context"], finding["blocking"]) == ("app", True)
    # config blocks like app code
    commit_files(repo, {"src/app.py": "", "deploy/values.yaml": f"jwtSecret: {APP_KEY}\n"})
    config = _jwtscan(repo, "scan", "--format", "json")
    assert config.returncode == 1
    [finding] = _findings(config).values()
    assert (finding["context"], finding["blocking"]) == ("config", True)


def test_a_test_key_that_is_also_in_app_code_blocks_wherever_it_is(repo: Path) -> None:
    commit_files(
        repo,
        {
            "tests/test_auth.py": f'JWT_SECRET = "{APP_KEY}"\n',
            "src/settings.py": f'JWT_SECRET = "{APP_KEY}"\n',
        },
    )
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 1
    # one value, one finding: at its app place, the test place one of its occurrences
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["path"], finding["blocking"]) == ("src/settings.py", True)
    [test] = finding["occurrences"]
    assert (test["path"], test["context"], test["blocking"]) == ("tests/test_auth.py", "test", True)


def test_a_guessable_value_in_a_test_does_not_block_for_being_in_app_code_too(
    repo: Path,
) -> None:
    # 'changeme' in both says nothing about the test; the app code's one blocks anyway
    commit_files(
        repo,
        {
            "tests/sign.test.js": "jwt.sign(payload, 'changeme');\n",
            "src/sign.js": "jwt.sign(payload, 'changeme');\n",
        },
    )
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 1
    found = _places(result)
    assert found["src/sign.js"]["blocking"] is True
    assert (found["tests/sign.test.js"]["context"], found["tests/sign.test.js"]["blocking"]) == (
        "test",
        False,
    )


def test_a_private_key_in_an_example_blocks_but_not_in_a_test(repo: Path) -> None:
    pem = subprocess.run(
        ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commit_files(repo, {"tests/testdata/key.pem": pem})
    assert _jwtscan(repo, "scan").returncode == 0
    commit_files(repo, {"examples/key.pem": pem})
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 1
    example = _findings(result)["examples/key.pem"]
    assert (example["kind"], example["context"], example["blocking"]) == (
        "private-key",
        "example",
        True,
    )


def test_strict_and_fail_contexts_make_other_contexts_block(repo: Path) -> None:
    commit_files(
        repo,
        {
            "tests/test_auth.py": f'JWT_SECRET = "{TEST_KEY}"\n',
            "docs/setup.py": f'JWT_SECRET = "{DOCS_KEY}"\n',
        },
    )
    assert _jwtscan(repo, "scan").returncode == 0
    strict = _jwtscan(repo, "scan", "--strict", "--format", "json")
    assert strict.returncode == 1
    assert all(f["blocking"] for f in _findings(strict).values())
    (repo / ".jwtscan.yaml").write_text("fail-contexts: [test]\n")
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 1
    found = _findings(result)
    assert found["tests/test_auth.py"]["blocking"] is True
    assert found["docs/setup.py"]["blocking"] is False
    # the pyproject.toml form
    (repo / ".jwtscan.yaml").unlink()
    (repo / "pyproject.toml").write_text('[tool.jwtscan]\nfail-contexts = ["docs"]\n')
    found = _findings(_jwtscan(repo, "scan", "--format", "json"))
    assert found["docs/setup.py"]["blocking"] is True
    assert found["tests/test_auth.py"]["blocking"] is False


@pytest.mark.parametrize("value", ["[tests]", "test", "[app, nowhere]"])
def test_fail_contexts_is_validated_strictly(repo: Path, value: str) -> None:
    commit_files(repo, {"src/app.py": "x = 1\n"})
    (repo / ".jwtscan.yaml").write_text(f"fail-contexts: {value}\n")
    result = _jwtscan(repo, "scan")
    assert result.returncode == 2
    assert "fail-contexts" in result.stderr


def test_every_format_shows_the_context_and_what_blocks(repo: Path) -> None:
    commit_files(
        repo,
        {
            "tests/test_auth.py": f'JWT_SECRET = "{TEST_KEY}"\n',
            "src/app.py": f'JWT_SECRET = "{APP_KEY}"\n',
        },
    )

    def report(fmt: str) -> str:
        result = _jwtscan(repo, "scan", "--format", fmt)
        assert result.returncode == 1, result.stderr
        return result.stdout

    text = report("text")
    assert "context test (path tests/, file name test_*.py): reported only, not blocking" in text
    assert "2 finding(s) (1 blocking, 1 reported only: 1 test;" in text
    sarif = json.loads(report("sarif"))["runs"][0]["results"]
    levels = {r["properties"]["context"]: (r["level"], r["properties"]["blocking"]) for r in sarif}
    assert levels["test"] == ("note", False)
    assert levels["app"][1] is True
    assert levels["app"][0] != "note"
    assert sarif[0]["properties"]["contextReasons"] is not None
    markdown = report("markdown")
    assert "| context |" in markdown
    assert "test, reported only" in markdown
    github = report("github")
    [test_line] = [line for line in github.splitlines() if "tests/test_auth.py" in line]
    assert test_line.startswith("::notice ")
    assert "Context: test" in test_line
    html = report("html")
    assert 'data-context="test"' in html
    assert '<select name="context">' in html
    junit = ET.fromstring(report("junit"))
    suite = junit.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    cases = {c.get("file"): c for c in suite.iter("testcase")}
    assert cases["tests/test_auth.py"].find("failure") is None
    out = cases["tests/test_auth.py"].find("system-out")
    assert out is not None
    assert "reported only" in (out.text or "")
    assert cases["src/app.py"].find("failure") is not None


def test_the_hook_shows_a_staged_test_key_without_blocking(repo: Path) -> None:
    commit_files(repo, {"README": "x\n"})
    (repo / "tests").mkdir()
    (repo / "tests" / "test_auth.py").write_text(f'JWT_SECRET = "{TEST_KEY}"\n')
    git(repo, "add", "tests/test_auth.py")
    result = _jwtscan(repo, "hook")
    assert result.returncode == 0, result.stderr
    assert "tests/test_auth.py" in result.stdout
    assert "context test" in result.stdout
    assert "commit not blocked" in result.stderr
    # a key staged in application code blocks
    (repo / "app.py").write_text(f'JWT_SECRET = "{APP_KEY}"\n')
    git(repo, "add", "app.py")
    blocked = _jwtscan(repo, "hook")
    assert blocked.returncode == 1
    assert "commit blocked" in blocked.stderr


def test_history_findings_get_the_context_of_their_path(repo: Path) -> None:
    commit_files(repo, {"spec/auth_spec.rb": f'JWT_SECRET = "{TEST_KEY}"\n'})
    commit_files(repo, {"spec/auth_spec.rb": "# gone\n"})
    result = _jwtscan(repo, "scan", "--history", "--format", "json")
    assert result.returncode == 0, result.stderr
    [finding] = _findings(result).values()
    assert (finding["context"], finding["blocking"]) == ("test", False)


def test_a_tracked_env_file_gets_a_context(repo: Path) -> None:
    commit_files(repo, {"README": "x\n"})
    (repo / "tests").mkdir()
    (repo / "tests" / ".env").write_text("FOO=env\n")
    git(repo, "add", "-f", "tests/.env")
    git(repo, "commit", "-qm", "fixture")
    result = _jwtscan(repo, "scan", "--format", "json")
    assert result.returncode == 0, result.stderr
    [finding] = _findings(result).values()
    assert (finding["kind"], finding["context"], finding["blocking"]) == (
        "env-file-tracked",
        "test",
        False,
    )

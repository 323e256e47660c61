"""The 20-case check from ../shared/ANCHORS.md: the best peer found 10; jwtscan must find all 20
and say the right thing about each. Every secret is generated or obviously fake."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from tests.conftest import git

R48 = fake_value("alnum", 48, "anchor-48")
R32 = fake_value("alnum", 32, "anchor-32")
RANDOM_ENV = fake_value("hex", 64, "anchor-env")
RANDOM_OLD = fake_value("b64url", 43, "anchor-old")


CLAIMS = {"sub": "1234567890", "name": "Jane Doe"}


def _token(key: str, algorithm: str = "HS256") -> str:
    return pyjwt.encode(CLAIMS, key, algorithm=algorithm)


def _unsigned() -> str:
    def b64(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(CLAIMS)}."


# (path, content, expected (kind, line) findings)
CASES: list[tuple[str, str, list[tuple[str, int | None]]]] = [
    ("src/a.js", "module.exports = (p) => jwt.sign(p,'my-secret');\n", [("weak-secret", 1)]),
    ("src/b.js", "const t = jwt.sign({id},\"changeme\",{expiresIn:'1h'});\n", [("weak-secret", 1)]),
    ("src/c.js", f"jwt.verify(t,'{R48}');\n", [("hardcoded-secret", 1)]),
    ("app/config.py", 'JWT_SECRET = "supersecretkey123"\n', [("weak-secret", 1)]),
    ("app/settings.py", 'JWT_SECRET_KEY = "secret"\n', [("weak-secret", 1)]),
    ("app/keys.py", f'JWT_SECRET = "{R32}"\n', [("hardcoded-secret", 1)]),
    (
        "app/tokens.py",
        'import jwt\n\ntoken = jwt.encode({"sub": "1"}, "my-secret", algorithm="HS256")\n',
        [("weak-secret", 3)],
    ),
    ("src/main/resources/application.properties", "jwt.secret=mySecretKey\n", [("weak-secret", 1)]),
    (
        "src/main/resources/application.yml",
        'server:\n  port: 8080\njwt:\n  secret: "development#product"\n',
        [("weak-secret", 4)],
    ),
    ("cmd/main.go", 'package main\n\nvar jwtKey = []byte("my_secret_key")\n', [("weak-secret", 3)]),
    (
        "src/main/java/JwtUtil.java",
        "class JwtUtil {\n  String t = Jwts.builder()"
        '.signWith(SignatureAlgorithm.HS256, "secretkey").compact();\n}\n',
        [("weak-secret", 2)],
    ),
    ("lib/auth.rb", "JWT.encode(payload, 'my$ecretK3y', 'HS256')\n", [("weak-secret", 1)]),
    (
        "src/auth.php",
        "<?php\n$jwt = JWT::encode($payload, \"example_key\", 'HS256');\n",
        [("weak-secret", 2)],
    ),
    (
        "Api/Startup.cs",
        "var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("
        '"ThisIsMySuperSecretKey12345"));\n',
        [("weak-secret", 1)],
    ),
    (
        "fixtures/user.json",
        json.dumps({"token": "{T_SECRET}"}) + "\n",
        [("jwt-forgeable-token", 1)],
    ),
    (
        "docs/api.http",
        "GET /me\nAuthorization: Bearer {T_CHANGEME}\n",
        [("jwt-forgeable-token", 2)],
    ),
    ("fixtures/none.txt", "{T_NONE}\n", [("jwt-unsigned-token", 1)]),
    (".env", "PORT=3000\nJWT_SECRET=changeme\n", [("env-file-tracked", None), ("weak-secret", 2)]),
    (
        ".env.production",
        f"JWT_SECRET={RANDOM_ENV}\n",
        [("env-file-tracked", None), ("hardcoded-secret", 1)],
    ),
]


@pytest.fixture
def anchors(repo: Path) -> Path:
    tokens = {
        "{T_SECRET}": _token("secret"),
        "{T_CHANGEME}": _token("changeme"),
        "{T_NONE}": _unsigned(),
    }
    for path, content, _ in CASES:
        for marker, token in tokens.items():
            content = content.replace(marker, token)
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the twenty cases")
    (repo / "legacy.py").write_text(f'JWT_SECRET = "{RANDOM_OLD}"\nSIGNING = "hunter2"\n')
    git(repo, "add", "legacy.py")
    git(repo, "commit", "-qm", "legacy keys")
    git(repo, "rm", "-q", "legacy.py")
    git(repo, "commit", "-qm", "remove legacy keys")
    return repo


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code = main(["scan", "--format", "json", *args])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == 1
    return report


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_anchor_cases_in_the_working_tree(
    anchors: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(anchors)
    report = _report(capsys)
    # every place: a value found in several places is one finding with its occurrences
    found = {
        (place["path"], f["kind"], place["line"])
        for f in report["findings"]
        for place in (f, *f["occurrences"])
    }
    expected = {(path, kind, line) for path, _, hits in CASES for kind, line in hits}
    assert sorted(expected - found) == []
    assert sorted(found - expected) == []
    raw = json.dumps(report)
    for value in (R48, R32, RANDOM_ENV, "my-secret", "changeme", "supersecretkey123"):
        assert value not in raw


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_anchor_case_20_history_only(
    anchors: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(anchors)
    report = _report(capsys, "--history")
    legacy = {(f["kind"], f["line"]): f for f in report["findings"] if f["path"] == "legacy.py"}
    assert set(legacy) == {("hardcoded-secret", 1), ("weak-secret", 2)}
    assert all(f["at_head"] is False for f in legacy.values())
    assert all("history-only" in f["message"] for f in legacy.values())

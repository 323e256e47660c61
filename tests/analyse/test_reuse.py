"""One key per environment: shared keys across environments and purposes, on real files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.analyse.reuse import environment_of, purpose_of
from scanner.cli import main

SHARED = fake_value("alnum", 48, "shared-key")
OTHER = fake_value("alnum", 48, "other-key")


def _reuse(
    capsys: pytest.CaptureFixture[str], root: Path, files: dict[str, str]
) -> list[dict[str, Any]]:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    main(["scan", "--format", "json", str(root)])
    report = json.loads(capsys.readouterr().out)
    return [f for f in report["findings"] if f["kind"].startswith("secret-reused")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".env.development", "development"),
        (".env.production", "production"),
        ("src/main/resources/application-dev.yml", "development"),
        ("src/main/resources/application-prod.yml", "production"),
        ("appsettings.Development.json", "development"),
        ("appsettings.Production.json", "production"),
        ("config/environments/staging.rb", "staging"),
        ("helm/values-staging.yaml", "staging"),
        ("helm/values-prod.yaml", "production"),
        ("tests/fixtures/auth.json", "test"),
        ("src/auth.js", None),
        ("product/config.yml", None),
        ("devices/key.py", None),
    ],
)
def test_environment_of(path: str, expected: str | None) -> None:
    assert environment_of(path) == expected


def test_purpose_of() -> None:
    assert purpose_of("JWT_REFRESH_SECRET") == "refresh tokens"
    assert purpose_of("ACCESS_TOKEN_SECRET") == "access tokens"
    assert purpose_of("SESSION_SECRET") == "session cookies"
    assert purpose_of("JWT_SECRET") == "JWT signing"
    assert purpose_of(None) is None


@pytest.mark.parametrize(
    ("files", "environments"),
    [
        (
            {
                ".env.development": f"JWT_SECRET={SHARED}\n",
                ".env.production": f"JWT_SECRET={SHARED}\n",
            },
            "production, development",
        ),
        (
            {
                "src/main/resources/application-dev.yml": f"jwt:\n  secret: {SHARED}\n",
                "src/main/resources/application-prod.yml": f"jwt:\n  secret: {SHARED}\n",
            },
            "production, development",
        ),
        (
            {
                "appsettings.Development.json": json.dumps({"Jwt": {"Key": SHARED}}, indent=2),
                "appsettings.Production.json": json.dumps({"Jwt": {"Key": SHARED}}, indent=2),
            },
            "production, development",
        ),
        (
            {
                "helm/values-staging.yaml": f"jwt:\n  secret: {SHARED}\n",
                "helm/values-prod.yaml": f"jwt:\n  secret: {SHARED}\n",
            },
            "production, staging",
        ),
        (
            {
                "tests/fixtures/.env": f"JWT_SECRET={SHARED}\n",
                "deploy/production/.env": f"JWT_SECRET={SHARED}\n",
            },
            "production, test",
        ),
    ],
)
def test_shared_key_across_environments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], environments: str
) -> None:
    [finding] = _reuse(capsys, tmp_path, files)
    assert finding["kind"] == "secret-reused-across-environments"
    assert finding["severity"] == "high"
    assert finding["message"].endswith(f"environments: {environments}")
    assert SHARED not in json.dumps(finding)


def test_distinct_keys_per_environment_are_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        ".env.development": f"JWT_SECRET={SHARED}\n",
        ".env.production": f"JWT_SECRET={OTHER}\n",
    }
    assert _reuse(capsys, tmp_path, files) == []


def test_shared_key_across_purposes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {".env": f"JWT_ACCESS_SECRET={SHARED}\nJWT_REFRESH_SECRET={SHARED}\n"}
    [finding] = _reuse(capsys, tmp_path, files)
    assert finding["kind"] == "secret-reused-across-purposes"
    assert finding["severity"] == "medium"
    assert "access tokens, refresh tokens" in finding["message"]

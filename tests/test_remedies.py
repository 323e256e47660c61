"""Remediation fits the file: the variable named after the code, fail-fast code per language."""

from __future__ import annotations

import pytest

from scanner.remedies import language_of, secret_fix, variable_name


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ('JWT_SECRET = "', "JWT_SECRET"),
        ("const jwtSecret = '", "JWT_SECRET"),
        ("jwt.secret=", "JWT_SECRET"),
        ("  signing_key: ", "SIGNING_KEY"),
        ("ACCESS_TOKEN_SECRET=", "ACCESS_TOKEN_SECRET"),
        ("jwt.sign(payload, '", "JWT_SECRET"),
        ('app.config["SECRET_KEY"] = "', "SECRET_KEY"),
    ],
)
def test_variable_name_follows_the_code(context: str, expected: str) -> None:
    assert variable_name(context) == expected


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("src/a.ts", None, "typescript"),
        ("app/x.py", None, "python"),
        (".env.local", None, "dotenv"),
        ("prod.env", None, "dotenv"),
        ("main.go", None, "go"),
        ("a.unknown", None, "config"),
        ("a.js", "Python", "python"),
    ],
)
def test_language_of(path: str, language: str | None, expected: str) -> None:
    assert language_of(path, language) == expected


@pytest.mark.parametrize(
    ("path", "language", "framework", "snippet"),
    [
        ("src/auth.js", "javascript", None, "throw new Error('JWT_SECRET is not set')"),
        ("app/settings.py", "python", None, 'os.environ["JWT_SECRET"]'),
        ("src/main/resources/application.properties", "java", "spring", "jwt.secret=${JWT_SECRET}"),
        ("cmd/main.go", "go", None, 'log.Fatal("JWT_SECRET is not set")'),
        ("lib/auth.rb", "ruby", None, 'ENV.fetch("JWT_SECRET")'),
        ("config/jwt.php", "php", "laravel", "env('JWT_SECRET')"),
        ("Program.cs", "csharp", None, "throw new InvalidOperationException"),
        ("src/main.rs", "rust", None, 'std::env::var("JWT_SECRET").expect'),
        ("config/config.exs", "elixir", None, 'System.fetch_env!("JWT_SECRET")'),
    ],
)
def test_secret_fix_has_fail_fast_code_for_each_stack(
    path: str, language: str, framework: str | None, snippet: str
) -> None:
    fix = secret_fix("Read it from the environment.", path, language, framework, "JWT_SECRET = ")
    assert fix.code is not None
    assert snippet in fix.code
    assert fix.command == "jwtscan generate --env-file .env --name JWT_SECRET"
    assert fix.rotate is not None
    assert "rotate" in fix.rotate.lower()

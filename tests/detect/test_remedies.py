"""Remediation fits the file: the variable named after the code, fail-fast code per language."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.detect.remedies import language_of, secret_fix, setting_name, variable_name
from scanner.report import FORMATS
from tests.conftest import git

VALUE = "placeholderValue"  # stands for any value: names never come from it


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ('JWT_SECRET = "', "JWT_SECRET"),
        ("const jwtSecret = '", "JWT_SECRET"),
        ("jwt.secret=", "JWT_SECRET"),
        ("  signing_key: ", "SIGNING_KEY"),
        ("ACCESS_TOKEN_SECRET=", "ACCESS_TOKEN_SECRET"),
        ("jwt.sign(payload, '", None),
        ('app.config["SECRET_KEY"] = "', "SECRET_KEY"),
        ("const ACCESS_TOKEN = jwt.sign(payload, '", None),  # the token, not the key
        ('var jwtKey = []byte("', "JWT_KEY"),
        ('Keys.hmacShaKeyFor("', None),  # a function, not a setting
        ("new JwtStrategy({ secretOrKey: '", None),  # a library's parameter name
        ("app.use(session({ secret: '", None),  # the rule's own variable applies
        ("SECRET = '", None),
        ("this.secret = '", None),
        ("config.get('JWT_REFRESH_SECRET', '", "JWT_REFRESH_SECRET"),
        ("os.getenv('AUTH', '", "AUTH"),
        ("const key = process.env.AUTH || '", "AUTH"),
        ('@Value("${jwt.secret:', "JWT_SECRET"),
        ('Joken.Signer.create("HS256", "', None),  # an algorithm, not a setting
        ("jwt:\n  secret: ", "JWT_SECRET"),
        ("spring:\n  security:\n    jwt:\n      secret: ", "JWT_SECRET"),
        ("session:\n  # the cookie key\n  secret: ", "SESSION_SECRET"),
        ('{\n  "jwt": {\n    "secret": "', "JWT_SECRET"),
        ("export const jwtConstants = {\n  secret: '", "JWT_SECRET"),
        ("export const sessionOptions = {\n  password: '", "SESSION_PASSWORD"),
        ("'jwt' => [\n    'secret' => '", "JWT_SECRET"),
        ('[jwt]\nsecret = "', "JWT_SECRET"),
        ("env:\n  - name: JWT_SECRET\n    value: ", "JWT_SECRET"),
        ('class Settings(BaseSettings):\n    jwt_secret: str = "', "JWT_SECRET"),
        ('class Settings(BaseSettings):\n    secret: str = "', None),
    ],
)
def test_setting_name_is_the_codes_own_name(before: str, expected: str | None) -> None:
    text = f"{before}{VALUE}"
    assert setting_name(text, len(before), len(text)) == expected


@pytest.mark.parametrize(
    "line",
    [
        "jwt:\n  secret: mySecretKey",
        "jwt.sign(payload, 'mySecretKey')",
        "app.use(session({ secret: 'mySecretKey' }))",
        "  signing: mySecretKey",
        "const key = 'mySecretKey' || 'mySecretKey'",  # the same value before it
    ],
)
def test_setting_name_never_reads_the_value(line: str) -> None:
    """Regression: ``jwt: secret: mySecretKey`` suggested ``--name MY_SECRET_KEY``."""
    start = line.rindex("mySecretKey")
    name = setting_name(line, start, start + len("mySecretKey"))
    assert name is None or "MY" not in name


@pytest.mark.parametrize(
    ("rule_fix", "setting", "expected"),
    [
        ("Use process.env.SESSION_SECRET.", None, "SESSION_SECRET"),
        ('app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]', None, "JWT_SECRET_KEY"),
        ('(SECRET_KEY = os.environ["JWT_SECRET"])', None, "JWT_SECRET"),  # the one it reads
        ("Read it from the environment.", None, "JWT_SECRET"),
        ("Use process.env.SESSION_SECRET.", "COOKIE_KEY", "COOKIE_KEY"),
    ],
)
def test_variable_name_follows_the_setting_then_the_rule(
    rule_fix: str, setting: str | None, expected: str
) -> None:
    assert variable_name(rule_fix, setting) == expected


def test_fix_summary_code_and_command_name_one_variable() -> None:
    advice = 'app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"] (Flask-JWT-Extended)'
    fix = secret_fix(advice, "app.py", "python", None, "TOKEN_SIGNING_KEY")
    assert fix.variable == "TOKEN_SIGNING_KEY"
    # The framework's own setting keeps its name; what is read from the environment follows.
    assert fix.summary == (
        'app.config["JWT_SECRET_KEY"] = os.environ["TOKEN_SIGNING_KEY"] (Flask-JWT-Extended)'
    )
    assert fix.code is not None
    assert fix.code.startswith('TOKEN_SIGNING_KEY = os.environ["TOKEN_SIGNING_KEY"]')
    assert fix.command == "jwtscan generate --env-file .env --name TOKEN_SIGNING_KEY"


@pytest.mark.parametrize(
    ("advice", "expected"),
    [
        (
            "raw = process.env.JWT_SECRET; if (!raw) throw new Error('JWT_SECRET is not set');",
            "raw = process.env.REFRESH_KEY; if (!raw) throw new Error('REFRESH_KEY is not set');",
        ),
        (
            'key = ENV.fetch("JWT_SECRET") { raise "JWT_SECRET must be set" }',
            'key = ENV.fetch("REFRESH_KEY") { raise "REFRESH_KEY must be set" }',
        ),
        ("secret: ${JWT_SECRET:?missing}", "secret: ${REFRESH_KEY:?missing}"),
        # A name the advice does not read from the environment keeps its own.
        ("jwt.secret is JWT_SECRET; read process.env.JWT_SECRET", None),
    ],
)
def test_fix_summary_fail_fast_error_names_the_renamed_variable(
    advice: str, expected: str | None
) -> None:
    fix = secret_fix(advice, "src/keys.ts", "javascript", None, "REFRESH_KEY")
    if expected is None:
        assert fix.summary == advice.replace("process.env.JWT_SECRET", "process.env.REFRESH_KEY")
    else:
        assert fix.summary == expected


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("src/a.ts", None, "typescript"),
        ("app/x.py", None, "python"),
        (".env.local", None, "dotenv"),
        ("prod.env", None, "dotenv"),
        ("main.go", None, "go"),
        ("app/auth/Tokens.scala", None, "scala"),
        ("a.unknown", None, "config"),
        ("a.js", "Python", "python"),
    ],
)
def test_language_of(path: str, language: str | None, expected: str) -> None:
    assert language_of(path, language) == expected


@pytest.mark.parametrize(
    ("path", "snippet"),
    [
        ("app/auth/LegacyTokens.scala", "sys.env.getOrElse"),
        ("src/main/kotlin/Auth.kt", "System.getenv"),
        ("src/main/java/Auth.java", "@Value"),
    ],
)
def test_secret_fix_of_a_java_rule_is_in_the_files_jvm_language(path: str, snippet: str) -> None:
    fix = secret_fix("Read it from the environment.", path, "java", None, "JWT_SECRET")
    assert fix.code is not None
    assert snippet in fix.code


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
        ("app/auth/Tokens.scala", "scala", None, 'sys.env.getOrElse("JWT_SECRET", throw'),
    ],
)
def test_secret_fix_has_fail_fast_code_for_each_stack(
    path: str, language: str, framework: str | None, snippet: str
) -> None:
    fix = secret_fix("Read it from the environment.", path, language, framework, "JWT_SECRET")
    assert fix.code is not None
    assert snippet in fix.code
    assert fix.command == "jwtscan generate --env-file .env --name JWT_SECRET"
    assert fix.rotate is not None
    assert "rotate" in fix.rotate.lower()


def _identifier(seed: str) -> str:
    """A value shaped like a setting's name (``amberFalconKey``): the shape that leaked."""
    first, second = random.Random(seed).sample(_WORDS, 2)
    return f"{first}{second.capitalize()}Key"


_WORDS = ["amber", "falcon", "ledger", "copper", "mantis", "harbor", "quartz", "signal", "tundra"]


@pytest.fixture
def identifier_values(repo: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Each file binds an identifier-shaped key to a setting whose own name is known."""
    values = {path: _identifier(path) for path in _SETTINGS}
    files = {
        "src/main/resources/application.yml": "jwt:\n  secret: {}\n",
        "src/auth.js": "const jwt = require('jsonwebtoken');\n"
        "module.exports = (p) => jwt.sign(p, '{}');\n",
        "src/app.js": "app.use(session({{ secret: '{}' }}));\n",
        "app/settings.py": 'SECRET_KEY = "{}"\n',
        "config/default.json": '{{\n  "jwt": {{\n    "secret": "{}"\n  }}\n}}\n',
    }
    for path, template in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(template.format(values[path]), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "keys")
    monkeypatch.chdir(repo)
    return values


_SETTINGS = {
    "src/main/resources/application.yml": "JWT_SECRET",
    "src/auth.js": "JWT_SECRET",
    "src/app.js": "SESSION_SECRET",
    "app/settings.py": "SECRET_KEY",
    "config/default.json": "JWT_SECRET",
}


def _snake(value: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", value).upper()


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_report_names_a_variable_after_the_value(
    identifier_values: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    """Regression: ``jwt: secret: mySecretKey`` became ``--name MY_SECRET_KEY`` everywhere."""
    out = tmp_path / f"report.{fmt}"
    assert main(["scan", "--quiet", "--format", fmt, "--output", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    for value in identifier_values.values():
        for shape in (value, _snake(value), _snake(value).lower(), value.lower()):
            assert shape not in text
    for variable in set(_SETTINGS.values()):
        assert variable in text or fmt in ("github", "markdown")  # these show the advice only


def test_fix_code_command_and_variable_follow_the_setting(
    identifier_values: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {f["path"] for f in findings} == set(_SETTINGS)
    for finding in findings:
        variable = _SETTINGS[finding["path"]]
        remediation = finding["remediation"]
        assert remediation["variable"] == variable
        assert variable in remediation["code"]
        assert remediation["command"] == f"jwtscan generate --env-file .env --name {variable}"
        assert variable in remediation["summary"]

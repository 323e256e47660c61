"""``fix secrets`` on real repositories: a diff git accepts, valid code after, nothing lost."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from scanner.detect.driver import scan
from scanner.detect.loader import load_ruleset
from scanner.errors import ScannerError
from scanner.findings import SECRET_KINDS, Finding
from scanner.fix import code, javascript, python
from scanner.fix.edits import Refused, Replaced, Secret, apply_edits
from scanner.sources import tree
from scanner.sources.content import DEFAULT_MAX_FILE_SIZE
from tests.conftest import git, run_main

REFRESH = fake_value("alnum", 48, "fix-secrets:refresh")
FLASK_JWT = fake_value("hex", 64, "fix-secrets:flask-jwt")

EXPRESS = f"""\
'use strict';

const express = require('express');
const jwt = require('jsonwebtoken');

const REFRESH_SECRET = '{REFRESH}';
const app = express();
app.use(express.json());

app.post('/login', (req, res) => {{
  const token = jwt.sign({{ sub: req.body.username }}, 'changeme', {{ expiresIn: '1h' }});
  res.json({{ token }});
}});

app.post('/refresh', (req, res) => {{
  const claims = jwt.verify(req.body.refreshToken, REFRESH_SECRET);
  res.json({{ sub: claims.sub }});
}});

module.exports = app;
"""
MIDDLEWARE = """\
const jwt = require('jsonwebtoken');

const secret = process.env.JWT_SECRET || 'secret';

module.exports = function authenticate(req, res, next) {
  const header = req.headers.authorization || '';
  try {
    req.user = jwt.verify(header.replace(/^Bearer /, ''), secret);
    next();
  } catch (err) {
    res.status(401).json({ error: `invalid token: ${err.message}` });
  }
};
"""
NEST = """\
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthService } from './auth.service';

@Module({
  imports: [
    JwtModule.register({
      secret: 'supersecret',
      signOptions: { expiresIn: '60s' },
    }),
  ],
  providers: [AuthService],
  exports: [AuthService],
})
export class AuthModule {}
"""
FLASK = f'''\
"""Flask settings, loaded with app.config.from_object."""

from __future__ import annotations

from datetime import timedelta


class Config:
    DEBUG = False
    SECRET_KEY = "changeme"
    JWT_SECRET_KEY = "{FLASK_JWT}"
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)
'''
PYJWT = """\
import datetime

import jwt


def issue(user_id: int) -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {"sub": str(user_id), "exp": now + datetime.timedelta(hours=1)}
    return jwt.encode(claims, "secret", algorithm="HS256")


def check(token: str) -> dict:
    return jwt.decode(token, "secret", algorithms=["HS256"])
"""
SETTINGS = """\
import os

JWT_SECRET = os.getenv("JWT_SECRET", "changeme")
DATABASE_URL = os.getenv("DATABASE_URL", "postgres://localhost/app")
"""
FILES = {
    "src/server.js": EXPRESS,
    "src/middleware/auth.js": MIDDLEWARE,
    "src/auth/auth.module.ts": NEST,
    "app/config.py": FLASK,
    "app/tokens.py": PYJWT,
    "app/settings.py": SETTINGS,
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())


@pytest.fixture
def project(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixtures committed in a real repository, which is the working directory."""
    _write(repo, FILES)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "app")
    monkeypatch.chdir(repo)
    return repo


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_main(capsys, "fix", "secrets", *args)


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _secrets(root: Path) -> list[Finding]:
    target = tree.resolve_target([root], ())
    result = scan(tree.read_files(target, DEFAULT_MAX_FILE_SIZE), load_ruleset())
    return [f for f in result.findings if f.kind in SECRET_KINDS]


def _check(root: Path, patch: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "apply", "--check", "-"], cwd=root, input=patch, capture_output=True, text=True
    )


def test_fix_secrets_finds_every_fixture_key(project: Path) -> None:
    assert sorted((f.path, f.line) for f in _secrets(project)) == [
        ("app/config.py", 10),
        ("app/config.py", 11),
        ("app/settings.py", 3),
        ("app/tokens.py", 9),
        ("app/tokens.py", 13),
        ("src/auth/auth.module.ts", 8),
        ("src/middleware/auth.js", 3),
        ("src/server.js", 6),
        ("src/server.js", 11),
    ]


def test_fix_secrets_exact_diff_passes_git_apply_and_matches_apply(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, patch, err = _run(capsys, "--show-secrets")
    assert code == 0
    assert "git apply" in err
    assert _check(project, patch).returncode == 0, _check(project, patch).stderr
    subprocess.run(["git", "apply", "-"], cwd=project, input=patch, check=True, text=True)
    by_git = _tree(project)
    git(project, "checkout", "-q", "--", ".")
    (project / ".env.example").unlink()
    assert _run(capsys, "--apply")[0] == 0
    assert _tree(project) == by_git


def test_fix_secrets_without_apply_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(project)
    for args in ((), ("--show-secrets",), ("src", "app/config.py")):
        code, out, _ = _run(capsys, *args)
        assert code == 0
        assert out.startswith("diff --git ")
        assert _tree(project) == before


def test_fix_secrets_without_apply_leaves_git_untouched(project: Path) -> None:
    """The index, refs and objects too: the plan is read-only, even through the real entry point."""
    (project / "app/settings.py").write_text(SETTINGS + "# unstaged\n")
    git(project, "add", "app/settings.py")
    everything = {
        p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.rglob("*"))
        if p.is_file()
    }
    status = git(project, "status", "--porcelain=v2")
    for args in ([], ["--show-secrets"]):
        done = subprocess.run(
            [sys.executable, "-m", "scanner", "fix", "secrets", *args],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("diff --git ")
    after = {
        p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.rglob("*"))
        if p.is_file()
    }
    assert after == everything
    assert git(project, "status", "--porcelain=v2") == status


def test_fix_secrets_redacted_diff_holds_no_secret(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _secrets(project)
    code, patch, err = _run(capsys)
    assert code == 0
    assert "for review only" in err
    assert "--apply" in err
    assert "--show-secrets" in err
    assert REFRESH not in patch
    assert FLASK_JWT not in patch
    for finding in found:
        for quote in "'\"":
            assert f"{quote}{finding.secret}{quote}" not in patch, finding.path
    assert "…(" in patch
    assert _check(project, patch).returncode != 0  # review only: git refuses it


def test_fix_secrets_apply_leaves_valid_python(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, patch, _ = _run(capsys, "--apply")
    assert code == 0
    assert REFRESH not in patch
    for name in ("app/config.py", "app/tokens.py", "app/settings.py"):
        ast.parse((project / name).read_text(), name)
    config = (project / "app/config.py").read_text()
    assert config.startswith(
        '"""Flask settings, loaded with app.config.from_object."""\n\n'
        "from __future__ import annotations\n\nimport os\nfrom datetime import timedelta\n"
    )
    assert '    SECRET_KEY = os.environ["SECRET_KEY"]\n' in config
    assert '    JWT_SECRET_KEY = os.environ["JWT_SECRET_KEY"]\n' in config
    tokens = (project / "app/tokens.py").read_text()
    assert tokens.startswith("import os\nimport datetime\n\nimport jwt\n")
    assert tokens.count('os.environ["JWT_SECRET"]') == 2
    settings = (project / "app/settings.py").read_text()
    assert 'JWT_SECRET = os.environ["JWT_SECRET"]\n' in settings
    assert settings.count("import os") == 1
    assert 'os.getenv("DATABASE_URL", "postgres://localhost/app")' in settings


def test_fix_secrets_apply_leaves_valid_javascript(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "--apply")[0] == 0
    server = (project / "src/server.js").read_text()
    assert "const REFRESH_SECRET = requireEnv('REFRESH_SECRET');" in server
    assert "jwt.sign({ sub: req.body.username }, requireEnv('JWT_SECRET'), {" in server
    assert server.startswith(
        "'use strict';\n\nconst express = require('express');\n"
        "const jwt = require('jsonwebtoken');\n\n"
        "// Read a secret from the environment; fail fast when it is missing.\n"
        "function requireEnv(name) {\n"
    )
    assert server.count("function requireEnv") == 1
    middleware = (project / "src/middleware/auth.js").read_text()
    assert "const secret = requireEnv('JWT_SECRET');" in middleware
    assert "process.env.JWT_SECRET ||" not in middleware
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run 'node --check' on the patched files")
    for name in ("src/server.js", "src/middleware/auth.js"):
        checked = subprocess.run([node, "--check", name], cwd=project, capture_output=True)
        assert checked.returncode == 0, checked.stderr


def test_fix_secrets_apply_types_the_typescript_helper(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "--apply")[0] == 0
    module = (project / "src/auth/auth.module.ts").read_text()
    assert "      secret: requireEnv('JWT_SECRET'),\n" in module
    assert "import { AuthService } from './auth.service';\n\n// Read a secret" in module
    assert "function requireEnv(name: string): string {\n" in module
    assert "if (!value) throw new Error(`${name} is not set`);" in module


def test_fix_secrets_env_example_lists_names_without_values(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "--apply")[0] == 0
    example = (project / ".env.example").read_text()
    assert example == "SECRET_KEY=\nJWT_SECRET_KEY=\nJWT_SECRET=\nREFRESH_SECRET=\n"


def test_fix_secrets_appends_to_an_existing_env_example(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".env.example").write_text("PORT=3000\nJWT_SECRET=\nDATABASE_URL=")
    assert _run(capsys, "--apply")[0] == 0
    lines = (project / ".env.example").read_text().splitlines()
    assert lines[:3] == ["PORT=3000", "JWT_SECRET=", "DATABASE_URL="]
    assert sorted(lines[3:]) == ["JWT_SECRET_KEY=", "REFRESH_SECRET=", "SECRET_KEY="]


def test_fix_secrets_rescan_finds_no_key_in_patched_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "--apply")[0] == 0
    assert _secrets(project) == []
    assert main(["scan", "--quiet"]) == 0


def test_fix_secrets_apply_twice_is_idempotent(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "--apply")[0] == 0
    after = _tree(project)
    code, out, err = _run(capsys, "--apply")
    assert (code, out) == (0, "")
    assert "nothing to fix" in err
    assert _tree(project) == after


def test_fix_secrets_skips_what_it_cannot_patch_safely(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    token = fake_value("b64url", 40, "fix-secrets:skip")
    files = {
        "cmd/main.go": "package main\n\nvar token, _ = jwt.New(jwt.SigningMethodHS256)"
        '.SignedString([]byte("changeme"))\n',
        "src/comment.js": "const jwt = require('jsonwebtoken');\n"
        "// jwt.sign(payload, 'changeme')\n",
        "src/auth.example.js": f"const jwt = require('jsonwebtoken');\n"
        f"jwt.sign(payload, '{token}');\n",
    }
    _write(repo, files)
    before = _tree(repo)
    code, out, err = _run(capsys, "--apply")
    assert code == 0
    assert _tree(repo) == before
    assert out == ""
    assert "cmd/main.go:3: not fixed: only JavaScript, TypeScript and Python" in err
    assert "src/comment.js:2: not fixed: in a comment" in err
    assert "src/auth.example.js:2: not fixed: a template or documentation file" in err
    assert token not in err


def test_fix_secrets_refuses_fstrings_and_template_literals(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    _write(
        repo,
        {
            "src/a.js": "const jwt = require('jsonwebtoken');\n"
            "const t = `${jwt.sign(payload, 'changeme')}`;\n",
            "src/b.py": "import jwt\n\nT = f\"{jwt.encode(claims, 'changeme')}\"\n",
        },
    )
    before = _tree(repo)
    code, _, err = _run(capsys, "--apply")
    assert code == 0
    assert _tree(repo) == before
    assert "src/a.js:2: not fixed: inside a template literal" in err
    assert "src/b.py:3: not fixed: inside an f-string" in err


def test_fix_secrets_keeps_crlf_bom_and_missing_final_newline(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    crlf = (
        "const jwt = require('jsonwebtoken');\r\nmodule.exports = (p) => jwt.sign(p, 'pass');\r\n"
    )
    bare = 'import jwt\n\nTOKEN = jwt.encode({}, "changeme")'
    bom = "\ufeffconst jwt = require('jsonwebtoken');\nexport const t = jwt.sign({}, \"pass\");\n"
    lone_cr = "const jwt = require('jsonwebtoken');\r\rexports.t = jwt.sign({}, 'changeme');\r"
    _write(repo, {"crlf.js": crlf, "bare.py": bare, "bom.mjs": bom, "cr.js": lone_cr})
    git(repo, "add", "-A")
    code, patch, _ = _run(capsys, "--show-secrets")
    assert code == 0
    assert "\\ No newline at end of file" in patch
    assert _check(repo, patch).returncode == 0, _check(repo, patch).stderr
    assert _run(capsys, "--apply")[0] == 0
    patched_crlf = (repo / "crlf.js").read_bytes().decode()
    assert "\r\nfunction requireEnv(name) {\r\n" in patched_crlf
    assert "\n" not in patched_crlf.replace("\r\n", "")
    assert "jwt.sign({}, requireEnv('JWT_SECRET'))" in (repo / "cr.js").read_bytes().decode()
    assert (repo / "bom.mjs").read_bytes().startswith(b"\xef\xbb\xbfconst jwt")
    assert 'jwt.sign({}, requireEnv("JWT_SECRET"))' in (repo / "bom.mjs").read_text()
    bare_after = (repo / "bare.py").read_text()
    assert bare_after == 'import os\nimport jwt\n\nTOKEN = jwt.encode({}, os.environ["JWT_SECRET"])'


def test_fix_secrets_apply_writes_nothing_when_a_file_changed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tree.resolve_target([], ())
    plan = code.plan(code.gather(target, load_ruleset()))
    (project / "app/settings.py").write_text(SETTINGS + "# edited meanwhile\n")
    before = _tree(project)
    with pytest.raises(ScannerError, match=r"app/settings\.py changed"):
        code.apply(project, plan)
    assert _tree(project) == before
    assert not (project / ".env.example").exists()


def test_fix_secrets_keeps_file_modes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "src/server.js").chmod(0o755)
    assert _run(capsys, "--apply")[0] == 0
    assert (project / "src/server.js").stat().st_mode & 0o777 == 0o755
    assert (project / ".env.example").stat().st_mode & 0o777 == 0o644
    assert set(_tree(project)) == {*FILES, ".env.example"}  # no temporary file left behind


def test_fix_secrets_missing_path_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "no-such-dir")
    assert (code, out) == (2, "")
    assert "no such file" in err


def test_fix_secrets_nothing_to_fix(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    _write(repo, {"index.js": "module.exports = () => process.env.JWT_SECRET;\n"})
    assert _run(capsys) == (0, "", "jwtscan: nothing to fix\n")


def _patch(path: str, text: str, literal: str) -> tuple[str, list[str]]:
    """Patch the one key ``literal`` (quotes included) in ``text``: the new text and refusals."""
    start = text.index(literal) + 1
    secret = Secret(start, start + len(literal) - 2, "JWT_SECRET")
    patcher = python.patch if path.endswith(".py") else javascript.patch
    patched = patcher(path, text, [secret])
    edits = [o.edit for o in patched.patches if isinstance(o, Replaced)]
    reasons = [o.reason for o in patched.patches if isinstance(o, Refused)]
    return apply_edits(text, [*edits, *([patched.header] if patched.header else [])]), reasons


@pytest.mark.parametrize(
    ("text", "literal", "expected"),
    [
        ('KEY = b"secret"\n', '"secret"', 'import os\n\nKEY = os.environ["JWT_SECRET"].encode()\n'),
        (
            'from os import environ\nKEY = environ.get("APP_KEY", "secret")\n',
            '"secret"',
            'from os import environ\nKEY = environ["APP_KEY"]\n',
        ),
        (
            'from os import getenv\nKEY = getenv(\n    "APP_KEY",\n    default="secret",\n)\n',
            '"secret"',
            'import os\nfrom os import getenv\nKEY = os.environ["APP_KEY"]\n',
        ),
        (
            '#!/usr/bin/env python\n"""Settings."""\nKEY = "secret"\n',
            '"secret"',
            '#!/usr/bin/env python\n"""Settings."""\n\nimport os\n\n'
            'KEY = os.environ["JWT_SECRET"]\n',
        ),
        (
            "# settings\nKEY = 'secret'\n",
            "'secret'",
            '# settings\n\nimport os\n\nKEY = os.environ["JWT_SECRET"]\n',
        ),
        (
            'KEY = env("APP_KEY", default="secret")\n',
            '"secret"',
            'KEY = env("APP_KEY")\n',
        ),
        (
            "KEY = config('APP_KEY', default='secret', )\n",
            "'secret'",
            "KEY = config('APP_KEY')\n",
        ),
        (
            'import re\n\nDIGITS = re.compile("\\d+")\nKEY = "secret"\n',
            '"secret"',
            'import os\nimport re\n\nDIGITS = re.compile("\\d+")\nKEY = os.environ["JWT_SECRET"]\n',
        ),
        (
            "import os.path\n\nKEY = 'secret'\n",
            "'secret'",
            'import os.path\n\nKEY = os.environ["JWT_SECRET"]\n',
        ),
    ],
)
def test_python_patch_replaces_the_literal(text: str, literal: str, expected: str) -> None:
    assert _patch("settings.py", text, literal) == (expected, [])


@pytest.mark.parametrize(
    ("text", "literal", "expected"),
    [
        (
            "const k = process.env['APP_KEY'] ?? \"secret\";\n",
            '"secret"',
            'k = requireEnv("APP_KEY");',
        ),
        ("const k = process.env.APP_KEY || `secret`\n", "`secret`", "k = requireEnv('APP_KEY')\n"),
        ("const re = /['`]/g;\nconst k = 'secret';\n", "'secret'", "k = requireEnv('JWT_SECRET');"),
        ("const h = y / 2; const k = `secret`;\n", "`secret`", "k = requireEnv('JWT_SECRET');"),
        ("const t = `a ${b}`; const k = 'it\\'s';\n", "'it\\'s'", "k = requireEnv('JWT_SECRET');"),
    ],
)
def test_javascript_patch_replaces_the_literal(text: str, literal: str, expected: str) -> None:
    patched, reasons = _patch("keys.js", text, literal)
    assert reasons == []
    assert expected in patched
    assert patched.count("function requireEnv(name) {") == 1


def test_javascript_patch_wraps_jsx_attributes_and_types_typescript() -> None:
    text = 'export const App = () => <Auth secret="secret" />;\n'
    patched, _ = _patch("app.tsx", text, '"secret"')
    assert '<Auth secret={requireEnv("JWT_SECRET")} />' in patched
    assert "function requireEnv(name: string): string {" in patched


def test_javascript_patch_keeps_the_directive_prologue_first() -> None:
    patched, _ = _patch("k.js", "'use strict';\nconst k = 'secret';\n", "'secret'")
    assert patched.startswith("'use strict';\n\n// Read a secret from the environment")


def test_javascript_patch_reuses_an_existing_helper() -> None:
    text = "const { requireEnv } = require('./env');\nconst k = 'secret';\n"
    assert _patch("k.js", text, "'secret'") == (
        "const { requireEnv } = require('./env');\nconst k = requireEnv('JWT_SECRET');\n",
        [],
    )


@pytest.mark.parametrize(
    ("path", "text", "literal", "reason"),
    [
        ("k.py", 'KEY = "sec" "ret"\n', '"sec"', "part of an implicit string concatenation"),
        ("k.py", 'KEY = """secret"""\n', '"secret"', "not exactly one quoted string literal"),
        ("k.py", '# KEY = "secret"\n', '"secret"', "in a comment"),
        ("k.py", "KEY = f\"{'secret'}\"\n", "'secret'", "inside an f-string"),
        ("k.py", "def f(:\n    KEY = 'secret'\n", "'secret'", "does not parse as Python"),
        ("k.js", "const k = a && process.env.K || 'secret';\n", "'secret'", "larger expression"),
        ("k.js", "const k = process.env.K || 'secret' + x;\n", "'secret'", "larger expression"),
        ("k.js", "/* const k = 'secret'; */\n", "'secret'", "in a comment"),
        ("k.js", "const k = `${'secret'}`;\n", "'secret'", "inside a template literal"),
        ("k.js", "const k = tag`secret`;\n", "`secret`", "inside a template literal"),
    ],
)
def test_patch_refuses_what_it_cannot_patch_safely(
    path: str, text: str, literal: str, reason: str
) -> None:
    patched, reasons = _patch(path, text, literal)
    assert patched == text
    assert len(reasons) == 1
    assert reason in reasons[0]


def test_fix_secrets_masks_a_real_key_left_in_env_example(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = fake_value("hex", 64, "fix-secrets:env-example")
    (project / ".env.example").write_text(f"PORT=3000\nJWT_SECRET={key}\n")
    code, patch, err = _run(capsys, "src/server.js")
    assert code == 0
    assert "+++ b/.env.example" in patch
    assert key not in patch
    assert ".env.example:2: not fixed: a template or documentation file" in err
    assert key in _run(capsys, "src/server.js", "--show-secrets")[1]


def test_fix_secrets_names_variables_after_the_code(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    _write(
        repo,
        {
            "src/refresh.module.ts": "import { JwtModule } from '@nestjs/jwt';\n\n"
            "export const refresh = JwtModule.registerAsync({\n"
            "  useFactory: (config: ConfigService) => ({\n"
            "    secret: config.get<string>('JWT_REFRESH_SECRET', 'refresh-secret'),\n"
            "  }),\n"
            "});\n",
            "src/strategy.js": "const { Strategy } = require('passport-jwt');\n\n"
            "module.exports = new Strategy({ secretOrKey: 'changeme' }, verify);\n",
            "shop/settings.py": "import environ\n\nenv = environ.Env()\n"
            'SIMPLE_JWT = {"SIGNING_KEY": env("JWT_SIGNING_KEY", default="changeme")}\n',
        },
    )
    assert _run(capsys, "--apply")[0] == 0
    module = (repo / "src/refresh.module.ts").read_text()
    assert "config.get<string>('JWT_REFRESH_SECRET', requireEnv('JWT_REFRESH_SECRET'))" in module
    assert "{ secretOrKey: requireEnv('JWT_SECRET') }" in (repo / "src/strategy.js").read_text()
    settings = (repo / "shop/settings.py").read_text()
    assert 'SIMPLE_JWT = {"SIGNING_KEY": env("JWT_SIGNING_KEY")}\n' in settings
    assert "import os" not in settings
    example = (repo / ".env.example").read_text()
    assert example == "JWT_SIGNING_KEY=\nJWT_REFRESH_SECRET=\nJWT_SECRET=\n"


def _variables(capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, int], str]:
    """Each key's variable, as the scan's own fix names it."""
    assert main(["scan", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    return {(f["path"], f["line"]): f["remediation"]["variable"] for f in findings if f["secret"]}


def test_fix_secrets_gives_a_session_secret_its_own_variable(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: express-session's secret became requireEnv('JWT_SECRET'), one key for both."""
    monkeypatch.chdir(repo)
    _write(
        repo,
        {
            "src/app.js": "const session = require('express-session');\n\n"
            "app.use(session({ secret: 'changeme', resave: false }));\n"
            "app.get('/t', (req, res) => res.json(jwt.sign({}, 'my-secret')));\n"
        },
    )
    git(repo, "add", "-A")
    assert _variables(capsys) == {
        ("src/app.js", 3): "SESSION_SECRET",
        ("src/app.js", 4): "JWT_SECRET",
    }
    code, _, err = _run(capsys, "--apply")
    assert code == 0
    app = (repo / "src/app.js").read_text()
    assert "app.use(session({ secret: requireEnv('SESSION_SECRET'), resave: false }));" in app
    assert "jwt.sign({}, requireEnv('JWT_SECRET'))" in app
    assert (repo / ".env.example").read_text() == "SESSION_SECRET=\nJWT_SECRET=\n"
    assert "(SESSION_SECRET, JWT_SECRET;" in err


def test_fix_secrets_names_what_the_finding_names(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The variable in a finding's fix, code and command is the one fix secrets writes."""
    monkeypatch.chdir(repo)
    _write(
        repo,
        {
            "src/session.js": "app.use(session({ secret: 'changeme' }));\n",
            "src/config.js": f"const config = {{\n  auth: {{\n    secret: '{REFRESH}',\n  }},\n}};",
            "app/settings.py": 'SECRET_KEY = "changeme"\n',
        },
    )
    git(repo, "add", "-A")
    named = _variables(capsys)
    assert named == {
        ("src/session.js", 1): "SESSION_SECRET",
        ("src/config.js", 3): "AUTH_SECRET",
        ("app/settings.py", 1): "SECRET_KEY",
    }
    assert _run(capsys, "--apply")[0] == 0
    example = (repo / ".env.example").read_text().splitlines()
    assert sorted(example) == sorted(f"{v}=" for v in named.values())
    for (path, _), variable in named.items():
        assert variable in (repo / path).read_text()


PYDANTIC = f"""\
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    jwt_secret: str = "changeme"
    debug: bool = False


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BILLING_")

    jwt_refresh_secret: str = Field("{REFRESH}", description="refresh tokens")


settings = Settings()
"""


def test_fix_secrets_makes_pydantic_settings_fields_required(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a settings default became an import-time os.environ[...], bypassing
    pydantic's own loading (env_file, prefixes); without a default pydantic requires it."""
    monkeypatch.chdir(repo)
    _write(repo, {"app/config.py": PYDANTIC})
    assert _run(capsys, "--apply")[0] == 0
    config = (repo / "app/config.py").read_text()
    ast.parse(config)
    assert "    jwt_secret: str\n    debug: bool = False\n" in config
    assert '    jwt_refresh_secret: str = Field(..., description="refresh tokens")\n' in config
    assert "os.environ" not in config
    assert "import os" not in config
    # pydantic reads the prefixed name
    assert (repo / ".env.example").read_text() == "JWT_SECRET=\nBILLING_JWT_REFRESH_SECRET=\n"


NEST_CONSTANTS = """\
export const jwtConstants = {
  secret: 'changeme',
};
"""
NEST_AUTH_MODULE = """\
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { jwtConstants } from './constants';

@Module({
  imports: [
    JwtModule.register({
      global: true,
      secret: jwtConstants.secret,
      signOptions: { expiresIn: '60s' },
    }),
  ],
})
export class AuthModule {}
"""


def test_fix_secrets_reads_nestjs_constants_after_config_module(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: NestJS constants read process.env at import time, before ConfigModule
    loads .env. The key becomes a getter, and the JwtModule.register that reads it a
    registerAsync factory, which runs once the modules (ConfigModule first) are set up."""
    monkeypatch.chdir(repo)
    _write(
        repo, {"src/auth/constants.ts": NEST_CONSTANTS, "src/auth/auth.module.ts": NEST_AUTH_MODULE}
    )
    assert _run(capsys, "--apply")[0] == 0
    constants = (repo / "src/auth/constants.ts").read_text()
    assert "  get secret() { return requireEnv('JWT_SECRET'); },\n" in constants
    module = (repo / "src/auth/auth.module.ts").read_text()
    assert "    JwtModule.registerAsync({ global: true, useFactory: () => ({\n" in module
    assert "      secret: jwtConstants.secret,\n" in module
    assert "    }) }),\n" in module
    assert (repo / ".env.example").read_text() == "JWT_SECRET=\n"


def test_fix_secrets_module_constants_are_read_when_used(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run by node: importing the constants reads nothing; using the key without it throws."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    monkeypatch.chdir(repo)
    _write(
        repo,
        {
            "src/constants.js": "const jwtConstants = {\n  secret: 'changeme',\n};\n\n"
            "module.exports = { jwtConstants };\n"
        },
    )
    assert _run(capsys, "--apply")[0] == 0
    script = (
        "const { jwtConstants } = require('./src/constants.js');\n"
        "console.log('imported');\n"
        "try { console.log(jwtConstants.secret); } catch (e) { console.log(e.message); }\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "JWT_SECRET"}
    unset = subprocess.run([node, "-e", script], cwd=repo, env=env, capture_output=True, text=True)
    assert unset.stdout == "imported\nJWT_SECRET is not set\n", unset.stderr
    env["JWT_SECRET"] = REFRESH
    set_ = subprocess.run([node, "-e", script], cwd=repo, env=env, capture_output=True, text=True)
    assert set_.stdout == f"imported\n{REFRESH}\n", set_.stderr

"""App-defined token helpers: a literal key given to mintToken({secret}), issue_token(secret=)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.fakes import fake_value
from tests.conftest import commit_files, run_main

RANDOM_KEY = fake_value("hex", 64, "token-helpers-random")
# Weak dictionary keys, joined at run time so that this module holds no key literal itself.
BILLING_KEY, TESTS_KEY, DOCS_KEY = (
    "-".join(w)
    for w in (
        ("billing", "dev", "secret"),
        ("tests", "only", "secret"),
        ("change", "this", "secret"),
    )
)


def _project() -> dict[str, str]:
    """A small Node.js token CLI with a Python sibling service: helpers defined once, called
    with keys from the environment in the application and with literals elsewhere."""
    return {
        "package.json": '{"name": "@acme/token-cli", "dependencies": {"jsonwebtoken": "^9"}}\n',
        # The helpers themselves: parameters, no literal.
        "lib/tokens.js": (
            "const jwt = require('jsonwebtoken');\n\n"
            "function mintToken(claims, { secret, expiresIn = '1h' } = {}) {\n"
            "  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn });\n"
            "}\n\n"
            "function createTokenService({ signingSecret, issuer }) {\n"
            "  return { issue: (claims) => mintToken({ ...claims, iss: issuer },"
            " { secret: signingSecret }) };\n"
            "}\n\n"
            "module.exports = { mintToken, createTokenService };\n"
        ),
        # The application: the key from the environment (no finding) and a committed one.
        "bin/mint.js": (
            "const { mintToken } = require('../lib/tokens');\n\n"
            "const secret = process.env.TOKEN_SECRET;\n"
            "if (!secret) throw new Error('TOKEN_SECRET is not set');\n"
            "console.log(mintToken({ sub: process.argv[2] },\n"
            "  { secret: process.env.TOKEN_SECRET }));\n"
        ),
        "src/billing.ts": (
            "import { createTokenService } from '../lib/tokens';\n\n"
            "export const billingTokens = createTokenService({\n"
            "  issuer: 'billing',\n"
            f"  signingSecret: '{BILLING_KEY}',\n"
            "});\n"
        ),
        "src/partners.ts": (
            "import { createTokenService } from '../lib/tokens';\n"
            "import { AuthClient } from './oauth';\n\n"
            f"export const partners = createTokenService({{ signingSecret: '{RANDOM_KEY}' }});\n"
            "export const oauth = new AuthClient({ clientSecret: 'oauth-client-secret' });\n"
        ),
        "test/mint.test.js": (
            "const test = require('node:test');\n"
            "const { mintToken } = require('../lib/tokens');\n\n"
            "test('mint signs with the given secret', () => {\n"
            "  const token = mintToken({ sub: 'a' }, { secret: 'cli-test-secret' });\n"
            "});\n"
        ),
        "README.md": (
            "# token-cli\n\nFrom code:\n\n```js\n"
            "const { mintToken } = require('@acme/token-cli');\n\n"
            "const token = mintToken({ sub: 'alice' }, { secret: 'local-stack-secret' });\n"
            "```\n"
        ),
        # The Python sibling.
        "service/tokens.py": (
            "import jwt\n\n\n"
            "def issue_token(user, secret, expires_in=3600):\n"
            '    return jwt.encode({"sub": user}, secret, algorithm="HS256")\n'
        ),
        "service/app.py": (
            "import os\n\nfrom service.tokens import issue_token\n\n\n"
            "def login(user):\n"
            '    return issue_token(user, secret=os.environ["TOKEN_SECRET"])\n'
        ),
        "service/tests/test_tokens.py": (
            "from service.tokens import issue_token\n\n\n"
            "def test_issue():\n"
            f"    assert issue_token('alice', expires_in=60, secret='{TESTS_KEY}')\n"
        ),
        "docs/quickstart.rst": (
            "Quick start\n===========\n\n.. code-block:: python\n\n"
            "    from service.guard import TokenGuard\n\n"
            f'    guard = TokenGuard(secret="{DOCS_KEY}")\n'
        ),
    }


def test_scan_finds_literal_keys_given_to_app_defined_token_helpers(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, _project())
    monkeypatch.chdir(repo)
    code, out, _ = run_main(capsys, "scan", "--format", "json")
    assert code == 1
    found = {
        (f["path"], f["line"], f["rule"], f["kind"], f["blocking"])
        for f in json.loads(out)["findings"]
    }
    js, py = "js-token-helper-options-secret", "python-token-helper-keyword-secret"
    assert found == {
        ("src/billing.ts", 5, js, "weak-secret", True),
        ("src/partners.ts", 4, js, "hardcoded-secret", True),
        ("test/mint.test.js", 5, js, "weak-secret", False),
        ("README.md", 8, js, "weak-secret", False),
        ("service/tests/test_tokens.py", 5, py, "weak-secret", False),
        ("docs/quickstart.rst", 8, py, "weak-secret", False),
    }


def test_token_helper_fix_reads_the_environment_and_names_the_option(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, _project())
    monkeypatch.chdir(repo)
    _, out, _ = run_main(capsys, "scan", "--format", "json")
    [billing] = [f for f in json.loads(out)["findings"] if f["path"] == "src/billing.ts"]
    assert billing["remediation"]["command"] == (
        "jwtscan generate --env-file .env --name SIGNING_SECRET"
    )
    assert "process.env.SIGNING_SECRET" in billing["remediation"]["code"]
    assert BILLING_KEY not in out

"""Not secrets are not findings (issue 15, item 3): each construct seen on third-party code, with
the real rules, and the same construct holding a real key still found."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.cli import main
from scanner.detect.engine import detect
from scanner.detect.judge import judge, no_key_material, not_a_signing_key, other_kind
from scanner.detect.loader import load_ruleset
from scanner.detect.prefilter import Haystack
from scanner.findings import Finding, Fragment
from tests.conftest import commit_files

RULESET = load_ruleset()
WEAK = RULESET.weak
RANDOM = fake_value("alnum", 40, "not-secrets")


def _found(path: str, text: str) -> list[Finding]:
    return list(detect(Fragment(path, text, None), RULESET))


def _where(path: str, text: str) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.line or 0, f.kind) for f in _found(path, text)]


# 1. identifiers and names


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("s3.go", 'const s3DisableExpressSessionAuthKey = "s3_disable_express_session_auth"\n'),
        ("attr.go", 'const AttrAuthTokenSecret = "git.authtokensecret"\n'),
        ("sessions_test.py", 'self.session._session_key = "12345678"\n'),
        ("sessions.txt", '>>> s = SessionStore(session_key="2b1189a188b44ad18c35e113ac6ceead")\n'),
    ],
)
def test_names_and_session_identifiers_are_not_keys(path: str, text: str) -> None:
    assert _found(path, text) == []


@pytest.mark.parametrize(
    ("path", "text", "rule"),
    [
        ("config.py", 'JWT_SECRET = "secret"\n', "python-jwt-secret-setting"),
        ("config.yaml", 'jwt:\n  secret: "my_secret_key"\n', "yaml-nested-signing-secret"),
        ("config.toml", 'session_key = "changeme"\n', "signing-secret-name-literal"),
        ("s3.go", f'const s3DisableExpressSessionAuthKey = "{RANDOM}"\n', None),
    ],
)
def test_a_key_under_its_own_name_is_still_a_key(path: str, text: str, rule: str | None) -> None:
    found = _found(path, text)
    assert [f.line for f in found] == [1 + text.count("\n", 0, text.index('"'))]
    assert rule is None or found[0].rule_id == rule


def test_not_a_signing_key_needs_the_construct_not_the_shape() -> None:
    name = "S3_DISABLE_EXPRESS_SESSION_AUTH_KEY"
    assert not_a_signing_key("s3_disable_express_session_auth", "x = ", name, WEAK)
    assert not_a_signing_key("secret", "JWT_SECRET = ", "JWT_SECRET", WEAK) is None
    # in the weak-key dictionary: a key, whatever the name
    assert not_a_signing_key("jwt_secret_key", "x = ", "APP_JWT_SECRET_KEY", WEAK) is None


# 2. references and commented-out lines

K8S_INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/auth-tls-secret: "default/ca-secret"
    nginx.ingress.kubernetes.io/auth-secret: default/basic-auth
"""


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("ingress.yml", K8S_INGRESS),
        ("oidc.md", '```yaml\nclientSecret: "urn:k8s:secret:oidc:clientSecret"\n```\n'),
        ("jwt.yaml", 'signingSecret: "urn:k8s:secret:jwt:signingSecret"\n'),
        ("app.yaml", 'jwt:\n  secret: "vault:secret/data/jwt#key"\n'),
        ("app.yaml", f"jwt:\n  # secret: {RANDOM}\n  secret: ${{JWT_SECRET}}\n"),
        ("app.properties", f"# jwt.secret={RANDOM}\njwt.secret=${{JWT_SECRET}}\n"),
    ],
)
def test_references_and_commented_out_lines_are_not_values(path: str, text: str) -> None:
    assert _found(path, text) == []


def test_a_key_on_a_live_line_beside_a_comment_is_found() -> None:
    text = f"jwt:\n  # the signing key\n  secret: {RANDOM}\n"
    assert [(f.line, f.kind) for f in _found("app.yaml", text)] == [(3, "hardcoded-secret")]
    props = f"# jwt.secret=${{JWT_SECRET}}\njwt.secret={RANDOM}\n"
    assert [f.line for f in _found("app.properties", props)] == [2]


# 3. secrets of other kinds


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("spec/OAuth1.spec.js", "const options = {\n  consumer_secret: 'secret',\n};\n"),
        ("tests/test_twitter.py", 'DATA = {"oauth_token_secret": "foobar-secret"}\n'),
        ("oauth1.spec.js", "// oauth_token\nconst auth_token_secret = 'secret';\n"),
        ("settings.py", 'SOCIAL_AUTH_GITHUB_SECRET = "a-secret-key"\n'),
        ("mfa.py", 'TOTP_SECRET = "base32secret3232"\n'),
        ("mfa.py", 'totp = pyotp.TOTP("changeme-please")\n'),
        ("crypto.py", 'FERNET_KEY = "changeme-please"\n'),
        # django-oauth-toolkit's tests: the digits and the alphabet in order, no credential
        (
            "tests/test_models.py",
            'CLEARTEXT_SECRET = "1234567890abcdefghijklmnopqrstuvwxyz"\n'
            "App(client_secret=CLEARTEXT_SECRET)\n",
        ),
    ],
)
def test_test_values_of_other_kinds_are_left_to_other_tools(path: str, text: str) -> None:
    assert _found(path, text) == []


def test_a_random_secret_of_another_kind_is_described_as_what_it_is() -> None:
    for text, kind in (
        (f'CLIENT_SECRET = "{RANDOM}"\n', "OAuth"),
        (f'TOTP_SECRET = "{RANDOM}"\n', "TOTP"),
    ):
        (finding,) = _found("settings.py", text)
        assert (finding.line, finding.kind) == (1, "hardcoded-secret")
        assert kind in finding.message
        assert "RFC 7518" not in " ".join(finding.reasons)
        assert finding.strength is None


def test_a_constant_passed_on_as_a_client_secret_is_one() -> None:
    keycloak = (
        '_SECRET = "1234abcd-1234-abcd-1234-abcd1234adcd"\n'
        'SETTINGS = {"SOCIAL_AUTH_KEYCLOAK_SECRET": _SECRET}\n'
    )
    assert _found("tests/test_keycloak.py", keycloak) == []
    random = f'CLEARTEXT_SECRET = "{RANDOM}"\nApp(client_secret=CLEARTEXT_SECRET)\n'
    (finding,) = _found("tests/test_models.py", random)
    assert "OAuth" in finding.message
    # the same constant handed to a JWT library stays a signing key
    signing = f'JWT_SIGNING_SECRET = "{RANDOM}"\njwt.encode(p, JWT_SIGNING_SECRET)\n'
    assert "OAuth" not in _found("app/tokens.py", signing)[0].message


def test_a_token_secret_outside_oauth_is_a_signing_key() -> None:
    found = _found("auth.js", "const authTokenSecret = 'json-token-secret';\n")
    assert [(f.rule_id, f.line, f.kind) for f in found] == [
        ("signing-secret-name-literal", 1, "weak-secret")
    ]
    assert other_kind("const authTokenSecret = '", Haystack("no such vocabulary")) is None


# 4. verification


def test_decode_reading_the_header_before_verify_is_fine() -> None:
    utils = (
        "const jwt = require('jsonwebtoken');\n"
        "const getHeaderFromToken = token => {\n"
        "  const decodedToken = jwt.decode(token, { complete: true });\n"
        "  return decodedToken.header;\n"
        "};\n"
    )
    assert _found("src/utils.js", utils) == []


def test_header_chosen_algorithm_is_high() -> None:
    code = (
        "const jwt = require('jsonwebtoken');\n"
        "const decoded = jwt.decode(token, { complete: true });\n"
        "const claims = jwt.verify(token, publicKey, { algo"
        "rithms: [decoded.header.alg] });\n"
    )
    found = [
        f for f in _found("src/auth.js", code) if f.rule_id == "jwt-algorithm-from-token-header"
    ]
    assert [(f.line, f.severity, f.kind) for f in found] == [
        (3, "high", "jwt-insecure-verification")
    ]
    py = (
        "header = jwt.get_unverified_header(token)\n"
        "claims = jwt.decode(token, key, algo"
        'rithms=[header["alg"]])\n'
    )
    assert ("jwt-algorithm-from-token-header", 2, "jwt-insecure-verification") in _where(
        "app/auth.py", py
    )


def test_decode_whose_payload_is_trusted_is_still_reported() -> None:
    code = (
        "import jwt from 'jsonwebtoken';\n"
        "export function user(token) {\n"
        "  const d = jwt.decode(token, { complete: true });\n"
        "  return d.payload.sub;\n"
        "}\n"
    )
    assert _where("src/user.js", code) == [
        ("jsonwebtoken-decode-without-verify", 3, "jwt-insecure-verification")
    ]


# 6. no key material


def _b64(data: bytes | dict[str, Any]) -> str:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_values_with_no_key_material() -> None:
    assert no_key_material('{"keys": [{}, {}]}')
    assert no_key_material('{"kty": "oct", "alg": "HS256"}')
    assert not no_key_material(json.dumps({"kty": "oct", "k": _b64(b"material")}))
    assert judge('{"keys": [{}, {}]}', WEAK).verdict == "not-secret"
    header = _b64({"alg": "RSA-OAEP", "enc": "A128GCM"})
    test = _b64(b"test")
    vector = f'msg := "{header}.{test}.{test}.{test}.{test}"\n'
    assert _found("jwe_test.go", vector) == []
    real = ".".join(
        (header, _b64(b"k" * 256), _b64(b"i" * 12), _b64(b"ciphertext"), _b64(b"t" * 16))
    )
    assert [f.kind for f in _found("jwe_test.go", f'msg := "{real}"\n')] == ["jwt-token"]


# The constructs together, in a real repository, scanned as a user would.


def test_repository_of_not_secrets_reports_only_the_real_ones(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    oauth = fake_value("alnum", 40, "repo-oauth")
    key = fake_value("b64", 48, "repo-jwt")
    commit_files(
        repo,
        {
            "deploy/ingress.yaml": K8S_INGRESS
            + "    # nginx.ingress.kubernetes.io/auth-secret: default/old-secret\n",
            "deploy/app.yaml": "jwt:\n  secret: urn:k8s:secret:jwt:key\n",
            "pkg/config/keys.go": (
                "package config\n\n"
                'const s3DisableExpressSessionAuthKey = "s3_disable_express_session_auth"\n'
                'const AttrAuthTokenSecret = "git.authtokensecret"\n'
            ),
            "tests/test_oauth1.py": (
                "DATA = {\n"
                '    "oauth_token": "token",\n'
                '    "oauth_token_secret": "foobar-secret",\n'
                '    "consumer_secret": "world",\n'
                "}\n"
            ),
            "app/settings.py": f'SOCIAL_AUTH_GITHUB_SECRET = "{oauth}"\nJWT_SECRET = "{key}"\n',
            "src/utils.js": (
                "const jwt = require('jsonwebtoken');\n"
                "exports.header = token => jwt.decode(token, { complete: true }).header;\n"
            ),
            "src/verify.js": (
                "const jwt = require('jsonwebtoken');\n"
                "const { header } = require('./utils');\n"
                "exports.verify = (token, key) => {\n"
                "  const { kid, alg } = header(token);\n"
                "  return jwt.verify(token, key, { algo"
                "rithms: [alg] });\n"
                "};\n"
            ),
        },
    )
    code = main(["scan", "--format", "json", str(repo)])
    report = json.loads(capsys.readouterr().out)
    found = sorted((f["path"], f["line"], f["rule"]) for f in report["findings"])
    assert code == 1
    assert found == [
        ("app/settings.py", 1, "python-jwt-secret-setting"),
        ("app/settings.py", 2, "python-jwt-secret-setting"),
        ("src/verify.js", 5, "jwt-algorithm-from-token-header"),
    ]
    oauth_finding = next(f for f in report["findings"] if f["line"] == 1)
    assert "OAuth" in oauth_finding["message"]


def test_none_only_when_the_user_asks_for_it() -> None:
    cli = (
        "package main\n\n"
        "func parse(data string) (*jwt.Token, error) {\n"
        "\treturn jwt.Parse(data, func(t *jwt.Token) (interface{}, error) {\n"
        "\t\tif isNone() {\n"
        "\t\t\treturn jwt.UnsafeAllowNoneSignatureType, nil\n"
        "\t\t}\n"
        "\t\treturn loadData(*flagKey)\n"
        "\t})\n"
        "}\n"
    )
    assert _found("cmd/jwt/main.go", cli) == []
    attacker = cli.replace("isNone()", 't.Header["alg"] == "none"')
    assert _where("auth/token.go", attacker) == [
        ("golang-jwt-none-signature-allowed", 6, "jwt-insecure-verification")
    ]


def test_a_pem_block_given_to_a_signing_call_is_a_private_key_not_an_hmac_secret() -> None:
    # PyJWT's docs: private_key = "-----BEGIN RSA PRIVATE KEY-----\n...", then jwt.encode(p,
    # private_key, algorithm="RS256"): one private-key finding, never "HS256 needs 256 bits".
    body = "\\n".join(fake_value("b64", 64, f"pem-line-{n}") for n in range(6))
    text = (
        "import jwt\n"
        'private_key = "-----BEGIN RSA PRIVATE KEY-----\\n'
        f'{body}\\n-----END RSA PRIVATE KEY-----"\n'
        'token = jwt.encode({"sub": "1"}, private_key, algorithm="RS256")\n'
    )
    assert [(rule, kind) for rule, _, kind in _where("docs_example.py", text)] == [
        ("pem-private-key", "private-key")
    ]


def test_a_generate_your_own_placeholder_is_not_a_key() -> None:
    # tornado's docs: "cookie_secret": "__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__"
    todo = "__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__"
    text = f'settings = {{\n    "cookie_secret": "{todo}",\n}}\n'
    assert _where("app.py", text) == []
    assert judge(todo, WEAK).verdict == "not-secret"

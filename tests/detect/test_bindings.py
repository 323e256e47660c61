"""Names bound by imports: a rule names its library once and finds every local name for it."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest

from scanner.detect.bindings import Binding, expand, imports
from scanner.detect.engine import Ruleset, detect
from scanner.detect.loader import load_ruleset
from scanner.detect.prefilter import Haystack
from scanner.detect.rules import parse_rule_file
from scanner.errors import RuleError
from scanner.findings import Fragment
from tests.conftest import commit_files, run_main

RULESET = load_ruleset()


def _key(seed: str) -> str:
    source = random.Random(seed)
    return "".join(source.choice(string.ascii_letters + string.digits) for _ in range(32))


def _found(path: str, text: str, ruleset: Ruleset = RULESET) -> list[tuple[str, str, int | None]]:
    return [(f.rule_id, f.secret, f.line) for f in detect(Fragment(path, text), ruleset)]


def test_imports_javascript_aliases_destructuring_namespace_default() -> None:
    bound = imports(
        "javascript",
        "const jsonwt = require('jsonwebtoken');\n"
        'const { sign, verify: check } = require("jsonwebtoken");\n'
        "import * as JWT from 'jsonwebtoken'\n"
        "import token, { sign as signToken } from 'jsonwebtoken';\n"
        "import {\n  decode,\n  verify as v,\n} from 'jsonwebtoken'\n"
        "const s2 = require('jsonwebtoken').sign\n",
    )
    assert bound["jsonwebtoken"] == {"jsonwt", "JWT", "token"}
    assert bound["jsonwebtoken.sign"] == {"sign", "signToken", "s2"}
    assert bound["jsonwebtoken.verify"] == {"check", "v"}
    assert bound["jsonwebtoken.decode"] == {"decode"}


def test_imports_of_each_syntax() -> None:
    python = imports("python", "import jwt as pyjwt\nfrom jwt import (encode as enc,\n decode)\n")
    assert python["jwt"] == {"pyjwt"}
    assert python["jwt.encode"] == {"enc"}
    assert python["jwt.decode"] == {"decode"}
    go = imports("go", 'import (\n\t"fmt"\n\tjwtlib "github.com/golang-jwt/jwt/v5"\n)\n')
    assert go["github.com/golang-jwt/jwt"] == {"jwtlib"}
    assert go["fmt"] == {"fmt"}
    jvm = imports(
        "jvm",
        "import static io.jsonwebtoken.security.Keys.hmacShaKeyFor;\n"
        "import com.auth0.jwt.algorithms.Algorithm as Alg\n"
        "import pdi.jwt.{JwtCirce, JwtAlgorithm => JA}\n",
    )
    assert jvm["io.jsonwebtoken.security.Keys.hmacShaKeyFor"] == {"hmacShaKeyFor"}
    assert jvm["com.auth0.jwt.algorithms.Algorithm"] == {"Alg"}
    assert jvm["pdi.jwt.JwtAlgorithm"] == {"JA"}
    php = imports("php", "use Firebase\\JWT\\JWT as FJ;\nuse Firebase\\JWT\\{Key as K};\n")
    assert php == {"Firebase\\JWT\\JWT": {"FJ"}, "Firebase\\JWT\\Key": {"K"}}
    rust = imports("rust", "use jsonwebtoken::{encode, EncodingKey as EK, errors::{Error}};\n")
    assert rust["jsonwebtoken::EncodingKey"] == {"EK"}
    assert rust["jsonwebtoken::errors::Error"] == {"Error"}
    elixir = imports("elixir", "  alias Joken.Signer, as: S\n  alias Joken.{Config}\n")
    assert elixir == {"Joken.Signer": {"S"}, "Joken.Config": {"Config"}}
    csharp = imports("csharp", "using K = Microsoft.IdentityModel.Tokens.SymmetricSecurityKey;\n")
    assert csharp == {"Microsoft.IdentityModel.Tokens.SymmetricSecurityKey": {"K"}}


def test_expand_without_imports_is_the_conventional_names_only() -> None:
    binding = Binding("call", "javascript", ("jsonwebtoken",), ("jwt",), ("sign",))
    pattern, added = expand(r"(?&call)\(", (binding,))
    assert added == ()
    assert pattern == r"(?:(?:jwt(?<![\w$]jwt))\.(?:sign))\("


def test_renamed_calls_are_found_at_their_literal() -> None:
    key = _key("renamed")
    text = (
        f"const {{ sign: issue }} = require('jsonwebtoken');\n\nconst t = issue(claims, '{key}');\n"
    )
    assert _found("src/auth.js", text) == [("jsonwebtoken-literal-key", key, 3)]


@pytest.mark.parametrize(
    "imported",
    ["import pdi.jwt.{Jwt => J}", "import pdi.jwt.{JwtAlgorithm, Jwt => J, _}"],
)
def test_scala_import_renames_are_found_at_their_literal(imported: str) -> None:
    key = _key("scala-rename")
    text = (
        f"package auth\n\n{imported}\n\nobject Tokens {{\n"
        f'  def issue(batch: String) = J.encode(claim, "{key}", JwtAlgorithm.HS384)\n}}\n'
    )
    assert _found("app/auth/Tokens.scala", text) == [("jwt-scala-literal-key", key, 6)]
    # Without the import, J is nothing of jwt-scala's.
    unbound = text.replace(imported, "import other.{Codec => J}")
    assert _found("app/auth/Tokens.scala", unbound) == []


def test_a_local_function_of_the_same_name_is_not_the_library() -> None:
    key = _key("shadow")
    text = (
        "from jwt import encode\n\n"
        "def encode(data, key):\n    return hmac.new(key, data, 'sha256').digest()\n\n"
        f"digest = encode(body, '{key}')\n"
    )
    assert _found("app/digest.py", text) == []
    # The same call without the shadowing definition is PyJWT's.
    unshadowed = f"from jwt import encode\n\ndigest = encode(body, '{key}')\n"
    assert _found("app/digest.py", unshadowed) == [("pyjwt-literal-key", key, 3)]


def test_a_name_imported_from_another_module_is_not_the_library() -> None:
    key = _key("other-module")
    assert _found("src/a.ts", f"import {{ sign }} from './crypto';\nsign(body, '{key}');\n") == []


WINDOWED = parse_rule_file(
    r"""
rules:
  - id: demo-windowed-bound
    description: A literal key at a bound acme call
    kind: secret
    severity: high
    keywords: ["acme.sign", "acme-auth"]
    window: 200
    bind:
      call: {syntax: javascript, modules: [acme-auth], names: [acme], members: [sign]}
    regex: '(?&call)\(\w+,\s*''(?P<secret>[^''\n]+)'''
    remediation: {fix: Read it from the environment.}
""",
    "demo.yaml",
)


def test_a_windowed_rule_also_runs_around_the_bound_names() -> None:
    ruleset = Ruleset(WINDOWED, RULESET.weak)
    key = _key("window")
    filler = "\n" * 400
    text = f"import {{ sign as mint }} from 'acme-auth';{filler}const t = mint(claims, '{key}');\n"
    assert _found("src/a.js", text, ruleset) == [("demo-windowed-bound", key, 401)]
    haystack = Haystack(text)
    haystack.present = frozenset({"acme-auth"})
    windows = haystack.windows(("acme-auth",), 200, ("mint",))
    assert len(windows) == 2


@pytest.mark.parametrize(
    ("bind", "message"),
    [
        ("{}", "must name the same placeholders"),
        ("{call: {syntax: cobol, modules: [m], names: [n]}}", "'syntax' must be one of"),
        ("{call: {syntax: python, modules: [m]}}", "a mapping with 'syntax'"),
        ("{call: {syntax: python, modules: [m], names: ['a b']}}", "names are identifiers"),
        ("{call: {syntax: python, modules: [m], names: [n], as: x}}", "unknown key"),
    ],
)
def test_bind_is_validated(bind: str, message: str) -> None:
    text = f"""
rules:
  - id: demo
    description: demo
    kind: secret
    severity: high
    keywords: [demo]
    bind: {bind}
    regex: '(?&call)\\(''(?P<secret>[^'']+)'''
    remediation: {{fix: Read it from the environment.}}
"""
    with pytest.raises(RuleError, match=message):
        parse_rule_file(text, "demo.yaml")


def test_scan_finds_renamed_library_calls_in_a_repository(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [_key(f"repo-{n}") for n in range(4)]
    commit_files(
        repo,
        {
            "src/auth.js": (
                "const jsonwt = require('jsonwebtoken');\n"
                f"module.exports.issue = (user) => jsonwt.sign({{ id: user.id }}, '{keys[0]}');\n"
            ),
            "src/verify.ts": (
                "import * as JWT from 'jsonwebtoken';\n"
                f"export const check = (t: string) => JWT.verify(t, '{keys[1]}');\n"
            ),
            "app/tokens.py": (
                f"from jwt import encode as jwt_encode\n\nTOKEN = jwt_encode({{}}, '{keys[2]}')\n"
            ),
            "internal/auth.go": (
                'package auth\n\nimport jwtlib "github.com/golang-jwt/jwt/v5"\n\n'
                "func key(t *jwtlib.Token) (interface{}, error) {\n"
                f'\treturn []byte("{keys[3]}"), nil\n}}\n'
            ),
            "src/env.js": (
                "const { sign } = require('jsonwebtoken');\nsign(claims, process.env.JWT_SECRET);\n"
            ),
        },
    )
    monkeypatch.chdir(repo)
    code, out, _ = run_main(capsys, "scan", "--format", "json")
    assert code == 1
    found = {(f["path"], f["rule"]) for f in json.loads(out)["findings"]}
    assert found == {
        ("src/auth.js", "jsonwebtoken-literal-key"),
        ("src/verify.ts", "jsonwebtoken-literal-key"),
        ("app/tokens.py", "pyjwt-literal-key"),
        ("internal/auth.go", "go-jwt-keyfunc-literal-key"),
    }

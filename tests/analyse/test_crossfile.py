"""Cross-file resolution: keys in config modules used by a sink in another file, in real git
repositories (tree, staged, range), and the same constructs reading the environment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.fakes import fake_value
from scanner.analyse.crossfile import Tree, _js_import, _py_import
from scanner.findings import Sink
from tests.analyse.resolution import resolved, scan_findings
from tests.conftest import commit, commit_files, git, run_main


def _q(value: str) -> str:
    """A quoted literal (written so, the test's own source holds no literal key)."""
    return f"'{value}'"


KEYS = {name: fake_value("alnum", 40, f"crossfile-{name}") for name in "abcdefg"}

PROJECT = {
    # CommonJS: module.exports object, used by a controller two folders away
    "config/auth.config.js": (
        f"module.exports = {{\n  secret: {_q(KEYS['a'])},\n  expiresIn: 86400,\n}};\n"
    ),
    "src/controllers/auth.js": (
        "const jwt = require('jsonwebtoken');\n"
        "const config = require('../../config/auth.config');\n\n"
        "exports.signin = (req, res) => {\n"
        "  const token = jwt.sign({ id: req.user.id }, config.secret, { expiresIn: 86400 });\n"
        "  res.send({ token });\n};\n"
    ),
    # TypeScript (NestJS): a named export, used as a `secret:` option
    "src/auth/constants.ts": f"export const jwtConstants = {{\n  secret: {_q(KEYS['b'])},\n}};\n",
    "src/auth/auth.module.ts": (
        "import { Module } from '@nestjs/common';\nimport { JwtModule } from '@nestjs/jwt';\n"
        "import { jwtConstants } from './constants';\n\n@Module({\n  imports: [\n"
        "    JwtModule.register({\n      global: true,\n      secret: jwtConstants.secret,\n"
        "      signOptions: { expiresIn: '60s' },\n    }),\n  ],\n})\n"
        "export class AuthModule {}\n"
    ),
    # ESM: export default, imported with its extension
    "src/esm/config.mjs": f"export default {{\n  jwtSecret: {_q(KEYS['c'])},\n}};\n",
    "src/esm/token.mjs": (
        "import jwt from 'jsonwebtoken';\nimport authConfig from './config.mjs';\n\n"
        "export const issue = (user) => jwt.sign({ sub: user.id }, authConfig.jwtSecret);\n"
    ),
    # Python: a settings class imported by an absolute module path
    "app/config.py": f"class Config:\n    DEBUG = False\n    SECRET_KEY = {_q(KEYS['d'])}\n",
    "app/tokens.py": (
        "import jwt\nfrom app.config import Config\n\n\ndef make(payload):\n"
        "    return jwt.encode(payload, Config.SECRET_KEY, algorithm='HS256')\n"
    ),
    # Django: settings come from a module the import does not name (matched by name)
    "shop/settings.py": f"DEBUG = False\nJWT_SIGNING_SECRET = {_q(KEYS['e'])}\n",
    "shop/views.py": (
        "import jwt\nfrom django.conf import settings\n\n\ndef token(request):\n"
        "    return jwt.encode({'u': 1}, settings.JWT_SIGNING_SECRET, algorithm='HS256')\n"
    ),
    # Compiled TypeScript (tsc's CommonJS output)
    "dist/auth/constants.js": (
        '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n'
        "exports.jwtConstants = void 0;\n"
        f"exports.jwtConstants = {{\n    secret: {_q(KEYS['f'])},\n}};\n"
    ),
    "dist/auth/auth.module.js": (
        '"use strict";\nconst jwt_1 = require("@nestjs/jwt");\n'
        'const constants_1 = require("./constants");\n'
        "let AuthModule = class AuthModule {};\nAuthModule = __decorate([\n"
        "    (0, common_1.Module)({\n        imports: [\n            jwt_1.JwtModule.register({\n"
        "                secret: constants_1.jwtConstants.secret,\n"
        "                signOptions: { expiresIn: '60s' },\n            }),\n        ],\n"
        "    })\n], AuthModule);\n"
    ),
}

# The same constructs reading the environment: nothing to report.
FROM_ENVIRONMENT = {
    "env/config.js": "module.exports = {\n  secret: process.env.JWT_SECRET,\n};\n",
    "env/sign.js": (
        "const jwt = require('jsonwebtoken');\nconst config = require('./config');\n"
        "module.exports = (p) => jwt.sign(p, config.secret);\n"
    ),
    "envpy/settings.py": "import os\n\nJWT_KEY = os.environ['JWT_KEY']\n",
    "envpy/api.py": (
        "import jwt\nfrom envpy import settings\n\n\ndef make(p):\n"
        "    return jwt.encode(p, settings.JWT_KEY, algorithm='HS256')\n"
    ),
    # node-config: a package, and no literal by that name anywhere in the code
    "pkg/use.js": (
        "const jwt = require('jsonwebtoken');\nconst config = require('config');\n"
        "jwt.sign({}, config.tokenKey);\n"
    ),
}

EXPECTED = {
    ("config/auth.config.js", 2, "src/controllers/auth.js", 5),
    ("src/auth/constants.ts", 2, "src/auth/auth.module.ts", 9),
    ("src/esm/config.mjs", 2, "src/esm/token.mjs", 4),
    ("app/config.py", 3, "app/tokens.py", 6),
    ("shop/settings.py", 2, "shop/views.py", 6),
    ("dist/auth/constants.js", 5, "dist/auth/auth.module.js", 9),
}


def test_tree_scan_resolves_config_modules_across_files(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, {**PROJECT, **FROM_ENVIRONMENT})
    monkeypatch.chdir(repo)
    code, findings = scan_findings(capsys)
    assert code == 1
    assert resolved(findings) == EXPECTED
    by_path = {f["path"]: f for f in findings}
    for path, _, _, _ in EXPECTED:
        # full confidence: the sink's rule and its severity, and the way it was resolved
        assert by_path[path]["severity"] == "high", by_path[path]
        assert by_path[path]["kind"] == "hardcoded-secret"
    assert by_path["config/auth.config.js"]["rule"] == "jsonwebtoken-literal-key"
    assert by_path["src/auth/constants.ts"]["rule"] == "nestjs-jwt-literal-secret"
    assert (
        "is imported from config/auth.config.js" in by_path["config/auth.config.js"]["reasons"][-1]
    )
    assert "by name" in by_path["shop/settings.py"]["reasons"][-1]
    assert "'django.conf'" in by_path["shop/settings.py"]["reasons"][-1]
    # nothing from the environment-reading variants
    assert not [f for f in findings if f["path"].startswith(("env/", "envpy/", "pkg/"))]
    # --fail-on high now fails on a key found only by its property name before
    code, _, _ = run_main(capsys, "scan", "--fail-on", "high", "--format", "json")
    assert code == 1
    # An excluded module is not reported, even when a sink elsewhere uses it.
    _, findings = scan_findings(capsys, "--exclude", "config/")
    assert "config/auth.config.js" not in {f["path"] for f in findings}
    assert ("src/esm/config.mjs", 2, "src/esm/token.mjs", 4) in resolved(findings)


def test_hook_blocks_a_staged_sink_using_a_committed_config_key(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = {p: t for p, t in PROJECT.items() if p == "config/auth.config.js"}
    commit_files(repo, modules)
    sink = repo / "src/controllers/auth.js"
    sink.parent.mkdir(parents=True)
    sink.write_text(PROJECT["src/controllers/auth.js"])
    git(repo, "add", "src/controllers/auth.js")
    # The working tree's copy differs from the index: the index is what is judged.
    (repo / "config/auth.config.js").write_text("module.exports = { secret: process.env.S };\n")
    monkeypatch.chdir(repo)
    code, out, err = run_main(capsys, "hook")
    assert code == 1, out + err
    assert "config/auth.config.js" in out
    assert "config.secret at src/controllers/auth.js:5 is imported from" in out
    assert KEYS["a"] not in out + err
    # The module reads the environment in the index: nothing to resolve.
    git(repo, "add", "config/auth.config.js")
    code, out, err = run_main(capsys, "hook")
    assert code == 0, out + err


def test_range_reads_the_module_from_the_sinks_commit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = commit_files(repo, {"app/config.py": PROJECT["app/config.py"], "README.md": "x\n"})
    commit_files(repo, {"app/tokens.py": PROJECT["app/tokens.py"]}, "sink")
    # A later commit in the range moves the key out: the sink's own commit still had it.
    (repo / "app/config.py").write_text(
        "import os\n\n\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"
    )
    commit(repo, "env")
    monkeypatch.chdir(repo)
    code, findings = scan_findings(capsys, "--range", f"{base}..HEAD")
    assert code == 1
    assert resolved(findings) == {("app/config.py", 3, "app/tokens.py", 6)}
    # History judges blobs without a commit's tree: the key is found by its name, not resolved.
    _, history = scan_findings(capsys, "--history")
    assert resolved(history) == set()


def test_a_literal_not_unique_by_name_is_not_guessed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(
        repo,
        {
            "shop/settings/dev.py": f"SIGNER_KEY = {_q(KEYS['g'])}\n",
            "shop/settings/prod.py": f"SIGNER_KEY = '{KEYS['g'][::-1]}'\n",
            "shop/views.py": PROJECT["shop/views.py"].replace("JWT_SIGNING_SECRET", "SIGNER_KEY"),
        },
    )
    monkeypatch.chdir(repo)
    _, findings = scan_findings(capsys)
    assert resolved(findings) == set()


@pytest.mark.parametrize(
    ("text", "name", "bound"),
    [
        ("const config = require('./config');", "config", ("./config", None)),
        ('const c_1 = __importDefault(require("./c"));', "c_1", ("./c", None)),
        ("import config = require('../config');", "config", ("../config", None)),
        ("import cfg, { x } from '@/config';", "cfg", ("@/config", None)),
        ("import * as C from './c';", "C", ("./c", None)),
        ("import { a, jwtConstants as k } from './c';", "k", ("./c", "jwtConstants")),
        ("const { secret: key } = require('./c');", "key", ("./c", "secret")),
        ("const other = require('./c');", "config", None),
    ],
)
def test_javascript_imports(text: str, name: str, bound: tuple[str, str | None] | None) -> None:
    assert _js_import(text, name) == bound


@pytest.mark.parametrize(
    ("text", "name", "bound"),
    [
        ("from app.config import Config\n", "Config", ("app.config", "Config")),
        ("from . import settings\n", "settings", (".", "settings")),
        ("from .conf import (\n    A,\n    KEYS as K,\n)\n", "K", (".conf", "KEYS")),
        ("import app.settings as s\n", "s", ("app.settings", None)),
        ("import config\n", "config", ("config", None)),
        ("import os\n", "config", None),
    ],
)
def test_python_imports(text: str, name: str, bound: tuple[str, str | None] | None) -> None:
    assert _py_import(text, name) == bound


def _always(tree: Tree) -> Callable[[Sink], Tree]:
    return lambda _: tree


def test_trees_and_relative_python_imports_in_process(repo: Path) -> None:
    from scanner.analyse.crossfile import FolderTree, GitTree, resolve
    from scanner.detect.driver import scan
    from scanner.detect.loader import load_ruleset
    from scanner.findings import Fragment

    files = {
        "pkg/settings.py": f"TOKEN_KEY = {_q(KEYS['g'])}\n",
        "pkg/api.py": (
            "import jwt\nfrom . import settings\n\n\ndef make(p):\n"
            "    return jwt.encode(p, settings.TOKEN_KEY, algorithm='HS256')\n"
        ),
    }
    sha = commit_files(repo, files)
    ruleset = load_ruleset()
    result = scan([Fragment("pkg/api.py", files["pkg/api.py"])], ruleset, workers=1, sinks=True)
    (sink,) = result.sinks
    assert (sink.module, sink.imported, sink.attributes) == (".", "settings", ("TOKEN_KEY",))
    trees = (
        FolderTree(repo, sorted(files)),
        GitTree(repo, None),
        GitTree(repo, sha),
    )
    for tree in trees:
        assert tree.search("TOKEN_KEY", (".py",)) == sorted(files)
        assert tree.read("pkg/missing.py") is None
        findings = resolve(result.findings, result.sinks, ruleset, _always(tree))
        assert [(f.path, f.line, f.rule_id) for f in findings] == [
            ("pkg/settings.py", 1, "pyjwt-literal-key")
        ]
        excluded = resolve(result.findings, result.sinks, ruleset, _always(tree), ("pkg/",))
        assert excluded == ()


def test_searches_expected_together_find_what_each_search_finds_alone(repo: Path) -> None:
    """A folder tree reads each file once for all the searches it expects: the same paths as
    one search at a time, and as git grep over the same files."""
    from scanner.analyse.crossfile import FolderTree, GitTree

    files = {
        "a/one.go": "package a\nconst Key = 1\nvar salt = 2\n",
        "a/two.go": "package a\nfunc f() { x := notKey; _ = x }\n",
        "b/three.go": "package b\nvar recvKey, Key = 1, 2\r\nvar saltier = 3\n",
        "b/four.go": "package b\n// Key.\n",
        "c/five.py": "Key = 'x'\n",
        "c/six.go": "package c\nvar other = 1\n",
    }
    commit_files(repo, files)
    searches = [
        ("Key", (".go",), None),
        ("salt", (".go",), "a"),
        ("salt", (".go",), "b"),
        ("recvKey", (".go",), None),
        ("Key", (".go",), "b"),
        ("Key", (".py",), None),
        ("missing", (".go",), "c"),
    ]
    together = FolderTree(repo, sorted(files))
    together.expect(searches)
    # The same searches shared among two worker processes (a tree of many files).
    shared = FolderTree(repo, sorted(files), jobs=2)
    shared.SHARED_FROM = 0
    shared._CHUNK = 2
    shared.expect(searches)
    assert shared._texts == together._texts  # the texts the workers kept came back
    git_tree = GitTree(repo, None)
    for search in searches:
        alone = FolderTree(repo, sorted(files)).search(*search)
        assert together.search(*search) == alone == git_tree.search(*search), search
        assert shared.search(*search) == alone, search
    assert together.search("Key", (".go",)) == ["a/one.go", "b/four.go", "b/three.go"]

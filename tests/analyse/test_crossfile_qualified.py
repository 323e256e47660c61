"""Cross-file resolution by name (Ruby, PHP, Kotlin/Java, C#, Go) in real git repositories:
qualified references, environment reads and their defaults, Go struct tags, and the cases where
nothing may be guessed."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest

from benchmarks.fakes import fake_value
from scanner.analyse.qualified import resolve
from scanner.detect.names import name_parts
from tests.analyse.resolution import resolved, scan_findings
from tests.conftest import commit_files, run_main

KEYS = {name: fake_value("alnum", 40, f"qualified-{name}") for name in "abcdefghijk"}


def _q(value: str, quote: str = "'") -> str:
    """A quoted literal (written so, the test's own source holds no literal key)."""
    return f"{quote}{value}{quote}"


PROJECT = {
    # Ruby: a constant of a nested module, and an ENV.fetch default
    "lib/auth/config.rb": (
        "module Auth\n  module Config\n"
        f"    SECRET = {_q(KEYS['a'])}.freeze\n"
        f"    REFRESH = ENV.fetch('REFRESH_KEY', {_q(KEYS['b'])})\n"
        "    PARTNER_KEY = ENV['PARTNER_KEY']\n"
        "  end\nend\n"
    ),
    "lib/auth/token.rb": (
        "require 'jwt'\n\nmodule Auth\n  module Token\n    module_function\n\n"
        "    def issue(id)\n      JWT.encode({ sub: id }, Config::SECRET, 'HS256')\n    end\n\n"
        "    def refresh(id)\n      JWT.encode({ sub: id }, Auth::Config::REFRESH, 'HS256')\n"
        "    end\n\n"
        "    def partner(id)\n      JWT.encode({ sub: id }, Config::PARTNER_KEY, 'HS256')\n"
        "    end\n  end\nend\n"
    ),
    # PHP: a settings array filled by the framework, read through a key path
    "config/settings.php": (
        "<?php\n\nreturn [\n    'db' => ['user' => 'app'],\n    'jwt' => [\n"
        f"        'issuer' => 'api',\n        'signing' => {_q(KEYS['c'])},\n    ],\n];\n"
    ),
    "src/Auth/TokenIssuer.php": (
        "<?php\n\nnamespace App\\Auth;\n\nuse Firebase\\JWT\\JWT;\n\nfinal class TokenIssuer\n"
        "{\n    public function __construct(private readonly array $settings)\n    {\n    }\n\n"
        "    public function issue(array $payload): string\n    {\n"
        "        return JWT::encode($payload, $this->settings['jwt']['signing'], 'HS256');\n"
        "    }\n}\n"
    ),
    # Kotlin: a constant of an object in the same package
    "src/main/kotlin/org/acme/auth/AuthConfig.kt": (
        'package org.acme.auth\n\nobject AuthConfig {\n    const val ISSUER = "notes"\n'
        f"    const val SECRET = {_q(KEYS['d'], chr(34))}\n"
        '    val refresh: String = System.getenv("REFRESH") ?: error("REFRESH is not set")\n}\n'
    ),
    "src/main/kotlin/org/acme/auth/Tokens.kt": (
        "package org.acme.auth\n\nimport com.auth0.jwt.JWT\n"
        "import com.auth0.jwt.algorithms.Algorithm\n\nclass Tokens {\n"
        "    private val algorithm = Algorithm.HMAC256(AuthConfig.SECRET)\n"
        "    private val refreshing = Algorithm.HMAC256(AuthConfig.refresh)\n"
        "    fun issue(id: String): String = JWT.create().withSubject(id).sign(algorithm)\n}\n"
    ),
    # C#: a constant of a static options class in another file
    "Auth/JwtOptions.cs": (
        "namespace Acme.Auth;\n\npublic static class JwtOptions\n{\n"
        f"    public const string Secret = {_q(KEYS['e'], chr(34))};\n}}\n"
    ),
    "Program.cs": (
        "using System.Text;\nusing Microsoft.IdentityModel.Tokens;\nusing Acme.Auth;\n\n"
        "var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(JwtOptions.Secret));\n"
    ),
    # Go: a config struct filled with a getenv helper's fallback constant
    "internal/config/config.go": (
        'package config\n\nimport "os"\n\n'
        f"const defaultRefreshKey = {_q(KEYS['f'], chr(34))}\n\n"
        "type Config struct {\n\tAddr       string\n\tRefreshKey string\n}\n\n"
        "func Load() Config {\n\treturn Config{\n"
        '\t\tAddr:       getenv("ADDR", ":8080"),\n'
        '\t\tRefreshKey: getenv("REFRESH_KEY", defaultRefreshKey),\n\t}\n}\n\n'
        "func getenv(key, fallback string) string {\n"
        "\tif v, ok := os.LookupEnv(key); ok {\n\t\treturn v\n\t}\n\treturn fallback\n}\n"
    ),
    "internal/auth/token.go": (
        'package auth\n\nimport (\n\tjwtlib "github.com/golang-jwt/jwt/v5"\n\n'
        '\t"github.com/acme/ledger/internal/config"\n)\n\n'
        "func Refresh(cfg config.Config) (string, error) {\n"
        "\tt := jwtlib.NewWithClaims(jwtlib.SigningMethodHS256, jwtlib.MapClaims{})\n"
        "\treturn t.SignedString([]byte(cfg.RefreshKey))\n}\n"
    ),
    # Go: a struct tag names the key of the configuration file that holds the value
    "cmd/admin/main.go": (
        'package main\n\nimport (\n\t"os"\n\n\tjwtware "github.com/gofiber/contrib/jwt"\n'
        '\t"github.com/gofiber/fiber/v2"\n\t"gopkg.in/yaml.v3"\n)\n\n'
        'type config struct {\n\tAdminKey string `yaml:"admin_key"`\n}\n\n'
        'func main() {\n\traw, _ := os.ReadFile("config.yaml")\n\tvar cfg config\n'
        "\t_ = yaml.Unmarshal(raw, &cfg)\n\tapp := fiber.New()\n"
        "\tapp.Use(jwtware.New(jwtware.Config{SigningKey: jwtware.SigningKey{Key: "
        "[]byte(cfg.AdminKey)}}))\n}\n"
    ),
    "config.yaml": f'listen: ":8080"\nadmin_key: "{KEYS["g"]}"\n',
}

EXPECTED = {
    ("lib/auth/config.rb", 3, "lib/auth/token.rb", 8),
    ("lib/auth/config.rb", 4, "lib/auth/token.rb", 12),
    ("config/settings.php", 7, "src/Auth/TokenIssuer.php", 15),
    (
        "src/main/kotlin/org/acme/auth/AuthConfig.kt",
        5,
        "src/main/kotlin/org/acme/auth/Tokens.kt",
        7,
    ),
    ("Auth/JwtOptions.cs", 5, "Program.cs", 5),
    ("internal/config/config.go", 5, "internal/auth/token.go", 11),
    ("config.yaml", 2, "cmd/admin/main.go", 20),
}


def test_tree_scan_resolves_qualified_names_in_five_languages(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, PROJECT)
    monkeypatch.chdir(repo)
    _, findings = scan_findings(capsys)
    assert resolved(findings) == EXPECTED
    by_place = {(f["path"], f["line"]): f for f in findings}
    for path, line, sink, sink_line in EXPECTED:
        finding = by_place[path, line]
        assert finding["severity"] == "high", finding
        assert f"at {sink}:{sink_line} was resolved by name" in finding["reasons"][-1]
    assert "Go struct tag" in by_place["config.yaml", 2]["reasons"][-1]
    # environment reads without a default hold no key: nothing at them
    assert ("lib/auth/config.rb", 5) not in by_place
    assert ("src/main/kotlin/org/acme/auth/AuthConfig.kt", 6) not in by_place
    # A history audit judges blobs with no tree: nothing is resolved there.
    code, out, err = run_main(capsys, "scan", "--history", "--format", "json")
    assert code in (0, 1), err
    assert resolved(json.loads(out)["findings"]) == set()


def test_staged_sink_resolves_against_the_index(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, {"lib/auth/config.rb": PROJECT["lib/auth/config.rb"]})
    sink = repo / "lib/auth/token.rb"
    sink.write_text(PROJECT["lib/auth/token.rb"])
    from tests.conftest import git

    git(repo, "add", "lib/auth/token.rb")
    monkeypatch.chdir(repo)
    code, out, err = run_main(capsys, "hook")
    assert code == 1, out + err
    assert "lib/auth/config.rb" in out
    assert KEYS["a"] not in out + err


def test_nothing_is_guessed(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(
        repo,
        {
            # two candidates in the same scope: which one the app loads is not known
            "config/dev/keys.rb": f"SIGNER = {_q(KEYS['h'])}\n",
            "config/prod/keys.rb": f"SIGNER = {_q(KEYS['i'])}\n",
            "app/token.rb": "JWT.encode(payload, SIGNER, 'HS256')\n",
            # a definition reading the environment blocks a literal of the same name elsewhere
            "src/Jwt.php": ("<?php\nclass Jwt\n{\n    const KEY = getenv('JWT_KEY');\n}\n"),
            "src/Legacy.php": f"<?php\nclass Legacy\n{{\n    const KEY = {_q(KEYS['j'])};\n}}\n",
            "src/Issue.php": (
                "<?php\nuse Firebase\\JWT\\JWT;\n\n"
                "function issue($p) { return JWT::encode($p, Jwt::KEY, 'HS256'); }\n"
            ),
            # a class the repository does not hold: not another class's constant of that name
            "src/Vendor.php": (
                "<?php\nuse Firebase\\JWT\\JWT;\n\n"
                "function vendor_issue($p) { return JWT::encode($p, Sdk::LEGACY, 'HS256'); }\n"
            ),
            "src/Old.php": f"<?php\nclass Old\n{{\n    const LEGACY = {_q(KEYS['b'])};\n}}\n",
            # a test's value is never taken for application code
            "spec/support/keys.rb": f"SPEC_SECRET = {_q(KEYS['k'])}\n",
            "lib/spec_token.rb": "JWT.encode(payload, SPEC_SECRET, 'HS256')\n",
            # $_ENV is the environment, not a constant named JWT_SECRET
            "src/Env.php": (
                "<?php\nuse Firebase\\JWT\\JWT;\n\n"
                "function env_issue($p) { return JWT::encode($p, $_ENV['JWT_SECRET'], 'HS256'); }\n"
            ),
            "src/Keys.php": f"<?php\nreturn ['JWT_SECRET' => {_q(KEYS['a'])}];\n",
        },
    )
    monkeypatch.chdir(repo)
    assert resolved(scan_findings(capsys)[1]) == set()


@pytest.mark.parametrize(
    ("reference", "parts"),
    [
        ("Config::SECRET", ("Config", "SECRET")),
        ("Auth::Config::SECRET", ("Auth", "Config", "SECRET")),
        ("AuthConfig.SECRET", ("AuthConfig", "SECRET")),
        ("$this->settings['jwt']['signing']", ("settings", "jwt", "signing")),
        ("self::$key", ("key",)),
        ('app.config["KEY"]', ("app", "config", "KEY")),
        ("@@secret", ("secret",)),
    ],
)
def test_name_parts(reference: str, parts: tuple[str, ...]) -> None:
    assert name_parts(reference) == parts


class _Tree:
    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    def read(self, path: str) -> str | None:
        return self.files.get(path)

    def search(self, name: str, suffixes: tuple[str, ...], folder: str | None = None) -> list[str]:
        return [
            p
            for p, t in self.files.items()
            if p.endswith(suffixes)
            and name in t
            and (folder is None or posixpath.dirname(p) == folder)
        ]


@pytest.mark.parametrize(
    ("definition", "value"),
    [
        ("SECRET = ENV.fetch('S', 'ruby-default')\n", "ruby-default"),
        ("SECRET = ENV['S'] || 'ruby-or'\n", "ruby-or"),
        ("SECRET = ENV['S']\n", None),
        ("SECRET = load_secret()\n", None),
    ],
)
def test_environment_defaults_ruby(definition: str, value: str | None) -> None:
    tree = _Tree({"lib/keys.rb": definition, "lib/use.rb": "JWT.encode(p, Keys::SECRET)\n"})
    found = resolve("lib/use.rb", ("Keys", "SECRET"), tree, lambda _: False)
    got = None if found is None else found[0].text[found[0].start : found[0].end]
    assert got == value


@pytest.mark.parametrize(
    ("path", "definition", "value"),
    [
        ("src/Keys.php", "<?php\nconst SECRET = getenv('S') ?: 'php-default';\n", "php-default"),
        ("src/Keys.php", "<?php\nconst SECRET = $_ENV['S'] ?? 'php-coalesce';\n", "php-coalesce"),
        (
            "src/Keys.java",
            'static final String SECRET = System.getenv().getOrDefault("S", "java-default");\n',
            "java-default",
        ),
        ("src/Keys.cs", 'string SECRET = Environment.GetEnvironmentVariable("S") ?? "cs";\n', "cs"),
        ("keys/keys.go", 'var SECRET = getEnv("S", "go-default")\n', "go-default"),
    ],
)
def test_environment_defaults(path: str, definition: str, value: str) -> None:
    suffix = path.rsplit(".", 1)[1]
    use = f"{path.rsplit('/', 1)[0]}/use.{suffix}"
    tree = _Tree({path: definition, use: "sign(Keys.SECRET)\n"})
    found = resolve(use, ("Keys", "SECRET"), tree, lambda _: False)
    assert found is not None
    assert found[0].text[found[0].start : found[0].end] == value


@pytest.mark.parametrize(
    ("definition", "value"),
    [
        ('package a\n\nvar signKey = "changeme"\n', "changeme"),
        ('package a\n\nconst (\n\tsignKey = "supersecret"\n)\n', "supersecret"),
        # a local of another function of the package is not the name the sink uses
        ('package a\n\nfunc f() {\n\tsignKey := "local"\n\t_ = signKey\n}\n', None),
        ('package a\n\nvar (\n\tx = 1\n)\n\nfunc f() {\n\tsignKey = "assigned"\n}\n', None),
    ],
)
def test_go_bare_names_are_package_declarations(definition: str, value: str | None) -> None:
    files = {"a/keys.go": definition, "a/use.go": "t.SignedString(signKey)\n", "b/k.go": ""}
    found = resolve("a/use.go", ("signKey",), _Tree(files), lambda _: False)
    got = None if found is None else found[0].text[found[0].start : found[0].end]
    assert got == value
    # another package's declaration is never the same package's name
    elsewhere = _Tree({"b/keys.go": definition, "a/use.go": files["a/use.go"]})
    assert resolve("a/use.go", ("signKey",), elsewhere, lambda _: False) is None


def test_go_members_not_exported_are_looked_for_in_their_own_package_only() -> None:
    # Go shows a name that starts with a lower-case letter to its own package alone: the sink's
    # folder is the only place to search (a Go vendor tree's every file was read for one).
    searched: list[tuple[str, str | None]] = []

    class Tree(_Tree):
        def search(
            self, name: str, suffixes: tuple[str, ...], folder: str | None = None
        ) -> list[str]:
            searched.append((name, folder))
            return super().search(name, suffixes, folder)

    definition = 'package a\n\nvar macKey = "changeme"\n'
    files = {"a/keys.go": definition, "a/use.go": "hmac.New(sha1.New, slot.macKey)\n"}
    found = resolve("a/use.go", ("slot", "macKey"), Tree(files), lambda _: False)
    assert found is not None
    assert found[0].path == "a/keys.go"
    elsewhere = {"b/keys.go": definition, "a/use.go": files["a/use.go"]}
    assert resolve("a/use.go", ("slot", "macKey"), Tree(elsewhere), lambda _: False) is None
    # an exported member may be another package's (config.Secret): searched everywhere
    resolve("a/use.go", ("config", "Secret"), Tree(files), lambda _: False)
    assert searched == [("macKey", "a"), ("macKey", "a"), ("Secret", None)]


def test_an_environment_read_blocks_a_literal_of_the_same_name() -> None:
    files = {
        "config/live.rb": "SIGNING_SECRET = ENV['SIGNING_SECRET']\n",
        "config/legacy.rb": "SIGNING_SECRET = 'my-secret'\n",
        "app/token.rb": "JWT.encode(payload, SIGNING_SECRET, 'HS256')\n",
    }
    assert resolve("app/token.rb", ("SIGNING_SECRET",), _Tree(files), lambda _: False) is None
    del files["config/live.rb"]
    found = resolve("app/token.rb", ("SIGNING_SECRET",), _Tree(files), lambda _: False)
    assert found is not None
    assert found[0].path == "config/legacy.rb"

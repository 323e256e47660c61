"""The pure engine on rules written here: positions, prefilter, references, dedupe, allow."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.fakes import fake_value
from scanner.detect.engine import Ruleset, detect
from scanner.detect.loader import load_ruleset
from scanner.detect.prefilter import Haystack
from scanner.detect.rules import parse_rule_file
from scanner.findings import Fragment
from scanner.paths import GlobLists, glob_match, is_template, matches_any

WEAK = load_ruleset().weak

RULES = parse_rule_file(
    r"""
rules:
  - id: demo-sink
    description: A literal key at demo.sign()
    kind: secret
    severity: high
    paths: ["*.js"]
    keywords: ["demo.sign"]
    regex: >-
      demo\.sign\([^,]+,\s*(?:(?P<q>['"])(?P<secret>[^'"\n]*)(?P=q)|(?P<ref>[A-Za-z_$][\w$.]*))
    remediation: {fix: Read it from the environment.}
  - id: demo-yaml
    description: nested jwt secret
    kind: secret
    severity: high
    keywords: ["jwt:"]
    regex: '(?m)^jwt:\n(?:[ \t]+[^\n]*\n){0,5}?[ \t]+secret:[ \t]*"?(?P<secret>[^"\n]+)"?'
    remediation: {fix: Use an environment variable.}
  - id: demo-generic
    description: generic name
    kind: secret
    severity: medium
    keywords: ["signing"]
    min_entropy: 3.0
    regex: 'signing\w*\s*=\s*"(?P<secret>[^"]+)"'
    remediation: {fix: Use an environment variable.}
  - id: demo-named
    description: specific name
    kind: secret
    severity: high
    keywords: ["signingkey"]
    regex: 'signingKey\s*=\s*"(?P<secret>[^"]+)"'
    remediation: {fix: Use an environment variable.}
  - id: demo-list
    description: every key of a list
    kind: secret
    severity: high
    keywords: ["demo.keys"]
    regex: >-
      demo\.keys\s*=\s*\[\s*(?:'(?P<secret>[^'\n]*)'|[\w.]+)(?P<items>(?:\s*,\s*(?:'[^'\n]*'|[\w.]+))*)
    remediation: {fix: Use an environment variable.}
""",
    "test.yaml",
)
RULESET = Ruleset(RULES, WEAK)


def _found(path: str, text: str, added: frozenset[int] | None = None) -> list[tuple[str, int, int]]:
    findings = detect(Fragment(path, text, added), RULESET)
    return [(f.rule_id, f.line or 0, f.column or 0) for f in findings]


def test_detect_reports_exact_line_and_column() -> None:
    text = "// auth\nconst t = demo.sign(payload, 'changeme');\n"
    assert _found("src/auth.js", text) == [("demo-sink", 2, 31)]


def test_detect_crlf_does_not_shift_columns() -> None:
    text = "// auth\r\nconst t = demo.sign(payload, 'changeme');\r\n"
    assert _found("src/auth.js", text) == [("demo-sink", 2, 31)]


def test_detect_respects_rule_paths() -> None:
    assert _found("src/auth.py", "demo.sign(payload, 'changeme')") == []


def test_detect_prefilter_skips_rules_without_keywords() -> None:
    ruleset = Ruleset(RULES, WEAK)
    assert ruleset.applicable("a.js", Haystack("nothing to see")) == ()
    assert [r.id for r in ruleset.applicable("a.js", Haystack("demo.sign(x, y)"))] == ["demo-sink"]


def test_detect_resolves_identifier_to_its_literal() -> None:
    text = "const SECRET = 'keyboard cat';\n\nfunction f(p) {\n  return demo.sign(p, SECRET);\n}\n"
    assert _found("a.js", text) == [("demo-sink", 1, 17)]


def test_detect_reference_to_environment_is_not_a_finding() -> None:
    text = "const SECRET = process.env.SECRET;\ndemo.sign(p, SECRET);\n"
    assert _found("a.js", text) == []


def test_detect_finds_multiline_yaml() -> None:
    text = 'server:\n  port: 8080\njwt:\n  expiration: 3600\n  secret: "development#product"\n'
    [finding] = detect(Fragment("config/app.yml", text), RULESET)
    assert (finding.rule_id, finding.line, finding.column) == ("demo-yaml", 5, 12)
    assert finding.kind == "weak-secret"
    assert finding.severity == "critical"


def test_detect_generic_rule_ignores_ordinary_values() -> None:
    assert _found("a.py", 'signing_algorithm = "HS256"\nsigning_name = "default_key"\n') == []


def test_detect_keeps_specific_rule_when_both_match() -> None:
    value = "FAKEq8Xz4Lr9Tn2Vb7Kd1Ws5Hj3Mc6Pf0YeU2"
    assert _found("a.py", f'signingKey = "{value}"\n') == [("demo-named", 1, 15)]


def test_detect_only_reports_added_lines_when_asked() -> None:
    text = "demo.sign(a, 'changeme');\ndemo.sign(b, 'secret');\n"
    assert _found("a.js", text, frozenset({2})) == [("demo-sink", 2, 15)]


def test_detect_finds_algorithm_on_the_line() -> None:
    text = "demo.sign(p, 'my-secret', { algorithm: 'HS512' })\n"
    [finding] = detect(Fragment("a.js", text), RULESET)
    assert finding.strength is not None
    assert finding.strength.algorithm == "HS512"
    assert finding.strength.required_bits == 512


def test_detect_template_files_only_report_random_values() -> None:
    text = "demo.sign(p, 'changeme')\n"
    assert _found("docs/README.md.js", text) == [("demo-sink", 1, 15)]
    assert _found("example.sample.js", text) == []


def test_finding_repr_never_shows_the_secret() -> None:
    [finding] = detect(Fragment("a.js", "demo.sign(p, 'changeme')"), RULESET)
    assert "changeme" not in repr(finding)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("src/auth.js", "*.js", True),
        ("src/auth.js", "src/*.js", True),
        ("lib/src/auth.js", "src/*.js", False),
        ("benchmarks/corpus/a/b.py", "benchmarks/corpus", True),
        ("benchmarks/corpus/a/b.py", "benchmarks/**/b.py", True),
        (".env.production", ".env*", True),
        ("config/.env", ".env*", True),
        ("rules/javascript.yaml", "rules/*.yaml", True),
        ("rules/sub/javascript.yaml", "rules/*.yaml", False),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".env.example", True),
        ("config/appsettings.Example.json", True),
        ("docs/setup.md", True),
        (".env", False),
        ("src/example.js", False),
        (".env.production", False),
    ],
)
def test_is_template(path: str, expected: bool) -> None:
    assert is_template(path) is expected


def test_haystack_windows_are_whole_lines_around_keywords_merged() -> None:
    text = "a\nbb key cc\nd\ne\nf key\ng\n" + "x\n" * 50 + "KEY h\n"
    haystack = Haystack(text)
    assert haystack.hits("key") == [5, 18, 124]
    windows = haystack.windows(["key"], 3)
    assert [text[s:e] for s, e in windows] == ["bb key cc\n", "e\nf key\ng\nx\n", "x\nx\nKEY h\n"]
    windows = haystack.windows(["key"], 6)
    assert next(text[s:e] for s, e in windows) == "a\nbb key cc\nd\ne\nf key\ng\nx\nx\n"
    assert haystack.windows(["absent"], 3) == []
    assert haystack.windows(["key"], 1000) == [(0, len(text))]


def test_haystack_windows_keep_the_texts_offsets_when_lowering_changes_length() -> None:
    # 'İ'.lower() is two characters: the hits move back by one per 'İ' before them.
    text = "\u0130stanbul \u0130\n" + "x\n" * 40 + "\u0130KEY = 1\n" + "x\n" * 40
    haystack = Haystack(text)
    assert len(haystack.lowered) == len(text) + 3
    at = text.index("KEY")
    assert [text[s:e] for s, e in haystack.windows(["key"], 2)] == ["x\n\u0130KEY = 1\n"]
    assert haystack.windows(["key"], 2)[0][0] < at
    # A word that is not ASCII could hold the combining dot: the whole text is the window.
    assert haystack.windows(["k\u0307"], 2) == [(0, len(text))]


WINDOWED = parse_rule_file(
    r"""
rules:
  - id: demo-windowed
    description: a name and its literal, possibly over several lines
    kind: secret
    severity: high
    window: 40
    keywords: ["signing_key"]
    regex: '(?i)(?<![\w.])signing_key\s*=\s*"(?P<secret>[^"\n]+)"'
    remediation: {fix: Use an environment variable.}
""",
    "test.yaml",
)


def test_windowed_rule_finds_what_the_whole_text_scan_finds() -> None:
    far = "\n".join(f"line {i} = {i}" for i in range(500))
    tail = 'obj.signing_key = "x"\nSIGNING_KEY = "hunter2"\n'
    text = f'{far}\nsigning_key =\n   "changeme"\n{far}\n{tail}'
    ruleset = Ruleset(WINDOWED, WEAK)
    whole = Ruleset(tuple(replace(r, window=None) for r in WINDOWED), WEAK)
    found = [(f.secret, f.line) for f in detect(Fragment("a.py", text), ruleset)]
    assert found == [("changeme", 502), ("hunter2", 1004)]
    assert found == [(f.secret, f.line) for f in detect(Fragment("a.py", text), whole)]


def test_windowed_rule_on_added_lines_runs_only_where_they_are() -> None:
    far = "\n".join(f"line {i} = {i}" for i in range(500))
    text = f'{far}\nsigning_key =\n   "changeme"\n{far}\nSIGNING_KEY = "hunter2"\n'
    ruleset = Ruleset(WINDOWED, WEAK)

    def found(added: set[int]) -> list[tuple[str, int]]:
        fragment = Fragment("a.py", text, frozenset(added))
        return [(f.secret, f.line or 0) for f in detect(fragment, ruleset)]

    assert found({502}) == [("changeme", 502)]  # the keyword is on the line before, unchanged
    assert found({1003}) == [("hunter2", 1003)]
    assert found({1, 2}) == []
    focused = Haystack(text, [(0, 10)])
    assert focused.windows(["signing_key"], 40) == []
    assert len(Haystack(text).windows(["signing_key"], 40)) == 2


def test_glob_lists_agree_with_matches_any() -> None:
    lists = [
        ("*.py", "*.pyw"),
        ("Dockerfile", "Dockerfile.*", "*.dockerfile"),
        ("[!a]*.json", "a[!p]*.json", "appsettings*.json"),
        ("**/settings/*.py", "*settings*.py"),
        ("build/", "docs/*.md", "vendor/**"),
    ]
    paths = [
        "a.py", "src/app/x.pyw", "Dockerfile", "deploy/Dockerfile.prod", "x.dockerfile",
        "b.json", "app.json", "appsettings.Development.json", "apx.json", "proj/settings/base.py",
        "my_settings.py", "build/out.js", "src/build", "docs/a.md", "docs/sub/a.md", "vendor/x/y",
        "a.json/inner.txt", ".py", "README",
    ]  # fmt: skip
    globs = GlobLists(lists)
    for path in paths:
        mask = globs.matching(path)
        assert [bool(mask >> i & 1) for i in range(len(lists))] == [
            matches_any(path, patterns) for patterns in lists
        ], path
        assert [bool(mask >> i & 1) for i in range(len(lists))] == [
            any(glob_match(path, pattern) for pattern in patterns) for patterns in lists
        ], path


_SEGMENTS = st.sampled_from(
    [
        *("src", "app", "config", "settings", "vendor", "test", "tests", "docs", "build", "k8s"),
        *("a.py", "x.pyw", "app.js", "b.ts", "c.tsx", "d.go", "Main.java", "x.kt", "y.rb"),
        *("appsettings.json", "appsettings.Production.json", "application.yml", "values.yaml"),
        *("Dockerfile", "docker-compose.yml", ".env", ".env.example", "config.exs", "x.php"),
        *("settings.py", "my_settings.py", "web.config", "a.properties", "README.md", ".json"),
    ]
)


_BUILTIN_LISTS = list(dict.fromkeys(rule.paths for rule in RULESET.rules if rule.paths))
_BUILTIN_GLOBS = GlobLists(_BUILTIN_LISTS)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SEGMENTS, min_size=1, max_size=5))
def test_glob_lists_of_the_builtin_rules_agree_with_each_glob(segments: list[str]) -> None:
    # Every built-in rule's paths at once, as the ruleset matches them, against each glob alone.
    path = "/".join(segments)
    mask = _BUILTIN_GLOBS.matching(path)
    assert [bool(mask >> i & 1) for i in range(len(_BUILTIN_LISTS))] == [
        any(glob_match(path, pattern) for pattern in patterns) for patterns in _BUILTIN_LISTS
    ], path


def test_detect_items_group_reports_every_literal_of_a_list() -> None:
    text = "demo.keys = ['changeme', process.env.OLD, 'keyboard cat', 'unclosed\n"
    findings = list(detect(Fragment("app.js", text), RULESET))
    assert [(f.rule_id, f.secret, f.column) for f in findings] == [
        ("demo-list", "changeme", 15),
        ("demo-list", "keyboard cat", 44),
    ]


def test_detect_items_group_without_a_first_literal_still_reports_the_others() -> None:
    findings = list(detect(Fragment("app.js", "demo.keys = [env.KEY, 'changeme']\n"), RULESET))
    assert [(f.secret, f.line, f.column) for f in findings] == [("changeme", 1, 24)]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("const KEY = Buffer.from('{k}', 'base64');\ndemo.sign(p, KEY);\n", 26),
        ("KEY = base64.b64decode('{k}')\ndemo.sign(p, KEY)\n", 25),
        ('var KEY = []byte("{k}")\ndemo.sign(p, KEY)\n', 19),
    ],
)
def test_detect_resolves_a_name_bound_through_a_key_wrapper(text: str, column: int) -> None:
    key = fake_value("b64", 44, "wrapped")
    assert _found("a.js", text.format(k=key)) == [("demo-sink", 1, column)]


def test_detect_name_bound_to_a_wrapped_environment_value_is_not_a_finding() -> None:
    text = "const KEY = Buffer.from(process.env.KEY, 'base64');\ndemo.sign(p, KEY);\n"
    assert _found("a.js", text) == []


def test_detect_member_of_an_imported_module_is_not_resolved_to_a_local_property() -> None:
    # Regression: config.key resolved to the session's cookie name in the same file.
    local = "const config = { key: 'keyboard cat' };\ndemo.sign(p, config.key);\n"
    assert _found("a.js", local) == [("demo-sink", 1, 24)]
    imported = "const config = require('../config');\nuse({ key: 'keyboard cat' });\n"
    assert _found("a.js", imported + "demo.sign(p, config.key);\n") == []


def test_detect_resolves_an_rspec_let_to_its_literal() -> None:
    text = "let(:wrong_secret) { 'keyboard cat' }\ndemo.sign(p, wrong_secret);\n"
    assert _found("a.js", text) == [("demo-sink", 1, 23)]


ANCHORED = parse_rule_file(
    r"""
rules:
  - id: demo-anchored
    description: acme's sign() with a literal key, in files that import acme
    kind: secret
    severity: high
    window: 40
    anchors: ["sign("]
    keywords: ["from acme"]
    regex: '(?<![\w.])sign\(\s*\w+,\s*"(?P<secret>[^"\n]+)"'
    remediation: {fix: Use an environment variable.}
""",
    "test.yaml",
)


@pytest.mark.parametrize("accelerated", [False, True])
def test_an_anchored_rule_runs_around_its_anchors_where_its_keyword_gates(
    accelerated: bool,
) -> None:
    far = "\n".join(f"line {i} = {i}" for i in range(500))
    text = f'from acme import sign\n{far}\ntoken = sign(claims, "changeme")\n{far}\n'
    ruleset = Ruleset(ANCHORED, WEAK, accelerated=accelerated)
    whole = Ruleset(tuple(replace(r, window=None) for r in ANCHORED), WEAK)
    found = [(f.secret, f.line) for f in detect(Fragment("a.py", text), ruleset)]
    assert found == [("changeme", 502)]
    assert found == [(f.secret, f.line) for f in detect(Fragment("a.py", text), whole)]
    # The keyword still gates: without the import, no finding (and no search).
    ungated = text.replace("from acme", "from other")
    assert list(detect(Fragment("a.py", ungated), ruleset)) == []
    # The prefilter records the anchor's offsets for the windows, but reports only keywords.
    haystack = Haystack(text)
    assert ruleset.applicable("a.py", haystack) == ANCHORED
    assert haystack.present == frozenset({"from acme", "sign("})
    assert ruleset.present(text) == {"from acme"}
    # One window, around the call: the import 500 lines up is not searched.
    ((start, end),) = haystack.windows((), 40, ANCHORED[0].anchors)
    assert text[start:end].startswith("line 497")
    assert "from acme" not in text[start:end]

"""Every built-in rule's own examples, and the loader's strict validation."""

from __future__ import annotations

import marshal
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scanner.detect.engine import Ruleset
from scanner.detect.loader import example_failures, load_rule_path, load_ruleset
from scanner.detect.rules import Rule, parse_rule_file
from scanner.errors import RuleError
from scanner.pipeline import BUILTIN_CHECKS
from tests.conftest import BUILTIN_RULES

RULESET = load_ruleset()


def _ids(rule: Rule) -> str:
    return rule.id


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return RULESET


@pytest.mark.parametrize("rule", RULESET.rules, ids=_ids)
def test_rule_examples_pass(rule: Rule, ruleset: Ruleset) -> None:
    assert rule.examples, f"{rule.id} has no positive examples"
    assert rule.negative_examples, f"{rule.id} has no negative examples"
    assert example_failures(rule, ruleset) == []


@pytest.mark.parametrize("rule", RULESET.rules, ids=_ids)
def test_rule_examples_contain_a_keyword(rule: Rule) -> None:
    for example in rule.examples:
        lowered = example.text.lower()
        assert any(k in lowered for k in rule.keywords), (rule.id, example.text)


def test_builtin_rule_files_validate_with_compiled_regexes() -> None:
    # The loader defers compiling built-in regexes to first use; this is where they are checked.
    for file in sorted(BUILTIN_RULES.glob("*.yaml")):
        parse_rule_file(file.read_text(), file.name, compile_regexes=True)


def test_rule_ids_are_unique_and_kebab_case() -> None:
    # Read from the YAML files themselves, not through the loader (which refuses duplicates, so
    # a check on its output could never fail), with the built-in checks: 'disable:' and inline
    # allow comments name ids from both, so one id must never mean two things.
    raw = [
        entry["id"]
        for file in sorted(BUILTIN_RULES.glob("*.yaml"))
        for entry in yaml.safe_load(file.read_text())["rules"]
    ]
    ids = [*raw, *BUILTIN_CHECKS]
    assert len(raw) == len(RULESET.rules)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert [i for i in ids if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i)] == []


def test_weak_key_dictionary_is_substantial() -> None:
    assert RULESET.weak.size >= 500
    assert len(RULESET.weak.words) >= 2000


VALID = """
rules:
  - id: demo-rule
    description: demo
    kind: secret
    severity: high
    keywords: [demo]
    regex: 'demo_key = "(?P<secret>[^"]+)"'
    remediation: {fix: Read it from the environment.}
    examples:
      - {text: 'demo_key = "changeme"', secret: changeme}
    negative_examples: ['demo_key = ""']
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("kind: secret", "kind: secret\n    colour: blue"), "unknown key(s) colour"),
        (("id: demo-rule", "id: Demo_Rule"), "kebab-case"),
        (('(?P<secret>[^"]+)', '([^"]+)'), "named group 'secret'"),
        (('(?P<secret>[^"]+)', '(?P<secret>[^"]+'), "does not compile"),
        (("severity: high", "severity: urgent"), "'severity' must be one of"),
        (("keywords: [demo]", "keywords: [Demo]"), "lower-case"),
        (("secret: changeme}", "}"), "must say which 'secret'"),
        (("remediation: {fix: Read it from the environment.}", "references: []"), "missing key"),
        (("severity: high", "severity: high\n    window: 0"), "'window' must be a positive"),
        (("severity: high", "severity: high\n    window: wide"), "'window' must be a positive"),
        (("severity: high", "severity: high\n    validate: pem"), "'validate' must be one of"),
        (("severity: high", "severity: high\n    anchors: [key]"), "give it a 'window' too"),
        (
            ("severity: high", "severity: high\n    window: 64\n    anchors: [Key]"),
            "'anchors' must be a list of lower-case strings",
        ),
    ],
)
def test_parse_rule_file_rejects(change: tuple[str, str], message: str) -> None:
    text = VALID.replace(*change)
    with pytest.raises(RuleError, match=r"demo\.yaml: rule ") as raised:
        parse_rule_file(text, "demo.yaml")
    assert message in str(raised.value)


def test_parse_rule_file_rejects_duplicate_ids() -> None:
    doubled = VALID + VALID.split("rules:\n", 1)[1]
    with pytest.raises(RuleError, match="duplicate id"):
        parse_rule_file(doubled, "demo.yaml")


def test_parse_rule_file_rejects_invalid_yaml() -> None:
    with pytest.raises(RuleError, match=r"demo\.yaml: invalid YAML"):
        parse_rule_file("rules: [", "demo.yaml")


def test_load_ruleset_adds_user_rules(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(VALID)
    ruleset = load_ruleset([tmp_path])
    assert ruleset.rules[-1].id == "demo-rule"
    assert len(ruleset.rules) == len(RULESET.rules) + 1


def test_load_ruleset_rejects_user_rule_with_failing_example(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(VALID.replace("secret: changeme", "secret: other"))
    with pytest.raises(RuleError, match="rule demo-rule: example does not yield its secret"):
        load_ruleset([tmp_path / "demo.yaml"])


def test_load_ruleset_rejects_windowed_rule_whose_match_lies_beyond_its_window(
    tmp_path: Path,
) -> None:
    # The keyword is 80 lines before the match: fine for a whole-text rule, not a window of 64.
    rule = VALID.replace("keywords: [demo]", "keywords: [import demo]\n    window: 64").replace(
        "{text: 'demo_key = \"changeme\"', secret: changeme}",
        '{text: "import demo' + "\\n" * 80 + 'demo_key = \\"changeme\\"", secret: changeme}',
    )
    (tmp_path / "demo.yaml").write_text(rule)
    with pytest.raises(RuleError, match="rule demo-rule: example does not yield its secret"):
        load_ruleset([tmp_path / "demo.yaml"])
    failures = example_failures(load_rule_path(tmp_path / "demo.yaml")[0], RULESET)
    assert any("a match lies farther than 64 characters from every keyword" in f for f in failures)
    # A keyword on the line before, within the window, is enough.
    (tmp_path / "demo.yaml").write_text(rule.replace("\\n" * 80, "\\n"))
    assert load_ruleset([tmp_path / "demo.yaml"]).rules[-1].window == 64
    (tmp_path / "demo.yaml").write_text(rule.replace("    window: 64\n", ""))
    assert load_ruleset([tmp_path / "demo.yaml"]).rules[-1].window is None


def test_load_ruleset_rejects_user_rule_clashing_with_builtin(tmp_path: Path) -> None:
    clash = VALID.replace("demo-rule", RULESET.rules[0].id)
    (tmp_path / "clash.yaml").write_text(clash)
    with pytest.raises(RuleError, match="duplicate id"):
        load_ruleset([tmp_path / "clash.yaml"])


def test_load_rule_path_rejects_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no rule files"):
        load_rule_path(tmp_path)


def test_builtin_rules_come_from_a_cache_that_matches_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = load_ruleset().rules  # parses the YAML and writes the cache
    [cache] = (tmp_path / "jwtscan").glob("rules-*.marshal")
    assert load_ruleset().rules == first == RULESET.rules  # read back from it
    cache.write_bytes(marshal.dumps({"sources": ["rules/other.yaml"], "documents": [{}]}))
    assert load_ruleset().rules == first  # another set of files: ignored, written anew
    cache.write_bytes(b"\xffnot marshal")
    assert load_ruleset().rules == first
    cache.write_bytes(marshal.dumps({"sources": ["rules/other.yaml"]})[:-3])  # cut short
    assert load_ruleset().rules == first
    names = sorted(p.name for p in (tmp_path / "jwtscan").iterdir())
    assert names == [cache.name.replace("rules-", "regexes-"), cache.name]


def test_builtin_regexes_are_kept_compiled_and_are_the_patterns_re_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from scanner.detect import programs

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(programs, "_STORE", {})
    monkeypatch.setattr(programs, "_FACTS", {})
    ruleset = load_ruleset()  # compiles every rule's regex and keeps the programs
    monkeypatch.setattr(programs, "_STORE", {})
    monkeypatch.setattr(programs, "_FACTS", {})
    load_ruleset()  # reads them back
    for rule in ruleset.rules:
        assert rule.expanded in programs._STORE, rule.id
        made, fresh = programs.compiled(rule.expanded), re.compile(rule.expanded)
        assert (made.pattern, made.flags, made.groups, made.groupindex) == (
            fresh.pattern,
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        for example in (*rule.examples, *rule.negative_examples):
            found = [m.regs for m in made.finditer(example.text)]
            assert found == [m.regs for m in fresh.finditer(example.text)], rule.id
        # What a worker reads from the pattern's parse is kept too, and is what it would read.
        assert programs.kept_facts(made) == programs._facts(fresh), rule.id


@pytest.mark.parametrize(
    "damage",
    [
        b"not marshal",
        b"",
        "marshal:list",
        "marshal:bad-program",
        "marshal:older-format",
        "marshal:bad-facts",
        "marshal:other-analysis",
    ],
)
def test_damaged_kept_regexes_mean_compiling_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes | str
) -> None:
    import marshal

    from scanner.detect import programs

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(programs, "_STORE", {})
    monkeypatch.setattr(programs, "_FACTS", {})
    ruleset = load_ruleset()
    [kept] = (tmp_path / "jwtscan").glob("regexes-*.marshal")
    rule = next(r for r in ruleset.rules if r.examples)
    if damage == "marshal:list":
        kept.write_bytes(marshal.dumps([1, 2, 3]))
    elif damage == "marshal:bad-program":
        program: programs.Program = (0, b"\xff" * 8, 0, {}, ())
        bad = {
            "programs": {rule.expanded: program},
            "facts": {rule.expanded: (1, (), False)},
            "analysis": programs._analysis(),
        }
        kept.write_bytes(marshal.dumps(bad))
    elif damage == "marshal:older-format":  # programs only, as before facts were kept
        kept.write_bytes(marshal.dumps({rule.expanded: (0, b"\xff" * 8, 0, {}, ())}))
    elif damage == "marshal:bad-facts":
        stored = marshal.loads(kept.read_bytes())
        stored["facts"][rule.expanded] = (0, ("",), "yes")
        kept.write_bytes(marshal.dumps(stored))
    elif damage == "marshal:other-analysis":  # facts read by other code (a working copy)
        stored = marshal.loads(kept.read_bytes())
        stored["facts"][rule.expanded] = (1, ("zzz",), False)
        stored["analysis"] += 1
        kept.write_bytes(marshal.dumps(stored))
    else:
        assert isinstance(damage, bytes)
        kept.write_bytes(damage)
    monkeypatch.setattr(programs, "_STORE", {})
    monkeypatch.setattr(programs, "_FACTS", {})
    load_ruleset()
    made = programs.compiled(rule.expanded)
    assert made.groupindex == re.compile(rule.expanded).groupindex
    assert made.search(rule.examples[0].text) is not None
    if damage != "marshal:bad-program":  # a program _sre refuses: that pattern only is compiled
        assert programs.kept_facts(made) == programs._facts(re.compile(rule.expanded))


@pytest.mark.usefixtures("unwritable_cache")
def test_builtin_rules_load_when_the_cache_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scanner.detect import programs

    monkeypatch.setattr(programs, "_STORE", {})
    monkeypatch.setattr(programs, "_FACTS", {})
    assert load_ruleset().rules == RULESET.rules
    # Nor are the patterns parsed for facts that could not be kept (a hook would pay 0.2 s
    # each run): a scan reads them from the parses of the rules it runs.
    assert programs._FACTS == {}


def test_cached_rules_are_validated_like_yaml_and_fail_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_ruleset()
    [cache] = (tmp_path / "jwtscan").glob("rules-*.marshal")
    stored = marshal.loads(cache.read_bytes())
    stored["documents"][0]["rules"][0]["severity"] = "urgent"
    cache.write_bytes(marshal.dumps(stored))
    with pytest.raises(RuleError, match="'severity' must be one of"):
        load_ruleset()


def test_a_rules_cache_others_can_write_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached rule set that another user could have written (group- or world-writable) is
    ignored and written anew: it decides which rules run."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_ruleset()
    [cache] = (tmp_path / "jwtscan").glob("rules-*.marshal")
    stored = marshal.loads(cache.read_bytes())
    del stored["documents"][0]["rules"][0]
    cache.write_bytes(marshal.dumps(stored))
    cache.chmod(0o666)
    assert load_ruleset().rules == RULESET.rules
    assert not cache.stat().st_mode & 0o022
    cache.write_bytes(marshal.dumps(stored))  # now private: read (and one rule fewer)
    assert len(load_ruleset().rules) == len(RULESET.rules) - 1

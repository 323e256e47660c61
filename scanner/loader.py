"""Load the built-in rules and word lists (shipped in the wheel) plus the user's own."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from scanner.detect import Ruleset, captures, detect
from scanner.errors import RuleError, UsageError
from scanner.findings import Fragment
from scanner.prefilter import Haystack
from scanner.rules import Rule, check_unique, parse_rule_file
from scanner.secrets import WeakKeys

_BUILTIN = "scanner.builtin_rules"
_WEAK_KEYS = "weak-keys.txt"
_WORDS = "words.txt"


def load_ruleset(extra_rules: Sequence[Path] = (), wordlists: Sequence[Path] = ()) -> Ruleset:
    """Built-in rules plus ``extra_rules`` (files or folders); user rules' examples must pass."""
    builtin = resources.files(_BUILTIN)
    rules: list[Rule] = []
    for entry in sorted(builtin.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            rules.extend(parse_rule_file(text, f"rules/{entry.name}", compile_regexes=False))
    entries = _lines(builtin.joinpath(_WEAK_KEYS).read_text(encoding="utf-8"))
    extra = [entry for path in wordlists for entry in _lines(_read(path, "wordlist"))]
    words = _lines(builtin.joinpath(_WORDS).read_text(encoding="utf-8"))
    weak = WeakKeys(entries, words, extra)
    user = [rule for path in extra_rules for rule in load_rule_path(path)]
    ruleset = Ruleset((*rules, *user), weak)
    check_unique(ruleset.rules)
    for rule in user:
        failures = example_failures(rule, ruleset)
        if failures:
            raise RuleError(f"{rule.source}: rule {rule.id}: {failures[0]}")
    return ruleset


def load_rule_path(path: Path) -> tuple[Rule, ...]:
    """Rules from a YAML file, or from every ``*.yaml``/``*.yml`` file in a folder."""
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise UsageError(f"{path}: no rule files (*.yaml) in this folder")
    else:
        files = [path]
    return tuple(
        rule for file in files for rule in parse_rule_file(_read(file, "rule file"), str(file))
    )


def example_failures(rule: Rule, ruleset: Ruleset) -> list[str]:
    """What is wrong with the rule's own examples, one message each; empty when all pass."""
    alone = Ruleset((rule,), ruleset.weak)
    failures = []
    for example in rule.examples:
        fragment = Fragment(example.path or "example", example.text)
        findings = list(detect(fragment, alone))
        found = [f.secret for f in findings]
        if rule.kind == "insecure-verification" and findings:
            # These findings hold no secret: the example names the offending code it captures.
            found = [example.text[c.start : c.end] for c in captures(rule, Haystack(example.text))]
        if example.secret not in found:
            got = f"found {len(found)} other value(s)" if found else "found nothing"
            failures.append(f"example does not yield its secret ({got}): {example.text[:80]!r}")
    if rule.window is not None:
        failures.extend(_window_failures(rule, alone))
    for example in rule.negative_examples:
        fragment = Fragment(example.path or "example", example.text)
        if any(True for _ in detect(fragment, alone)):
            failures.append(f"negative example matches: {example.text[:80]!r}")
    return failures


def _window_failures(rule: Rule, alone: Ruleset) -> list[str]:
    """A windowed rule's matches must each hold a keyword, and its examples must yield the same
    values with more than a window of blank lines around them."""
    assert rule.window is not None
    failures = []
    margin = "\n" * (rule.window + 2)
    for example in rule.examples:
        for match in rule.regex.finditer(example.text):
            held = match.group(0).lower()
            if not any(keyword in held for keyword in rule.keywords):
                shown = match.group(0)[:80]
                failures.append(f"'window' is set but a match holds no keyword: {shown!r}")
        path = example.path or "example"
        alone_found = [f.secret for f in detect(Fragment(path, example.text), alone)]
        padded = [f.secret for f in detect(Fragment(path, margin + example.text + margin), alone)]
        if padded != alone_found:
            shown = example.text[:80]
            failures.append(f"example yields other values inside a longer text: {shown!r}")
    return failures


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def _lines(text: str) -> list[str]:
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]

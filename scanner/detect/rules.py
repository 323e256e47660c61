"""The rule schema: parse and strictly validate one YAML rule file into frozen rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, cast, get_args

from scanner.detect.bindings import NAME, PLACEHOLDER, SYNTAXES, Binding, expand
from scanner.detect.fragments import FRAGMENTS, splice
from scanner.detect.programs import compiled
from scanner.errors import RuleError
from scanner.findings import SEVERITIES, Severity

RuleKind = Literal["secret", "private-key", "token", "insecure-verification"]
RULE_KINDS: tuple[RuleKind, ...] = get_args(RuleKind)
# Checks a rule can ask for on each captured value before it becomes a finding.
Validation = Literal["der-private-key"]
VALIDATIONS: tuple[Validation, ...] = get_args(Validation)

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RULE_KEYS = frozenset(
    {
        "id",
        "description",
        "kind",
        "severity",
        "paths",
        "keywords",
        "regex",
        "min_length",
        "min_entropy",
        "window",
        "anchors",
        "validate",
        "bind",
        "remediation",
        "references",
        "examples",
        "negative_examples",
    }
)
_REQUIRED = ("id", "description", "kind", "severity", "keywords", "regex", "remediation")
_REMEDIATION_KEYS = frozenset({"fix", "language", "framework"})
_EXAMPLE_KEYS = frozenset({"text", "secret", "path"})
_BIND_KEYS = frozenset({"syntax", "modules", "names", "members"})

_Fail = Callable[[str], RuleError]


@dataclass(frozen=True, slots=True)
class Remediation:
    fix: str
    language: str | None
    framework: str | None


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    secret: str | None  # the value a positive example must yield; None for negatives
    path: str | None  # lets an example exercise a rule's ``paths``


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    kind: RuleKind
    severity: Severity
    keywords: tuple[str, ...]
    pattern: str  # compiled on first use: most rules never run on a given commit
    paths: tuple[str, ...]
    min_length: int | None
    min_entropy: float | None
    # Set: every match holds one of the keywords (or of the anchors) and reaches at most this
    # many characters beyond it, so the rule runs only on the lines around them. None: the
    # whole text.
    window: int | None
    # Set: a captured value that fails this check is no finding (see scanner.detect.der).
    validate: Validation | None
    # Placeholders ``(?&name)`` in the pattern, expanded per file (see scanner.detect.bindings).
    bind: tuple[Binding, ...]
    remediation: Remediation
    references: tuple[str, ...]
    examples: tuple[Example, ...]
    negative_examples: tuple[Example, ...]
    source: str
    # Set (with a window): the windows are cut around these words (lower-case), which every
    # match holds, instead of around the keywords, which then only gate the file: a keyword
    # such as an import (``jsonwebtoken``) says the file uses a library, and the call
    # (``decode``) is anywhere in it.
    anchors: tuple[str, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        """The regex as a file that imports nothing sees it (placeholders: conventional names)."""
        return _compiled(self.expanded)

    @property
    def expanded(self) -> str:
        """:attr:`regex`'s pattern."""
        return expand(self.pattern, self.bind)[0] if self.bind else self.pattern

    @property
    def generic(self) -> bool:
        """A generic-name rule: only random-looking values count."""
        return self.min_entropy is not None or self.min_length is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return compiled(pattern)


def parse_rule_file(text: str, source: str, *, compile_regexes: bool = True) -> tuple[Rule, ...]:
    """Parse one rule file; every problem is a :class:`RuleError` naming ``source`` and rule.

    ``compile_regexes=False`` defers compiling to first use; only for the built-in rules, whose
    regexes the test suite compiles and checks.
    """
    return parse_rule_document(load_yaml(text, source), source, compile_regexes=compile_regexes)


def load_yaml(text: str, source: str) -> object:
    """The YAML document in ``text``, with libyaml's parser when PyYAML has it."""
    import yaml  # here: the hook reads the built-in rules from a cache (see scanner.detect.loader)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise RuleError(f"{source}: invalid YAML: {exc}") from None


def parse_rule_document(
    document: object, source: str, *, compile_regexes: bool = True
) -> tuple[Rule, ...]:
    """Validate a parsed rule file (see :func:`parse_rule_file`)."""
    if not isinstance(document, dict) or set(document) != {"rules"}:
        raise RuleError(f"{source}: a rule file is a mapping with one key, 'rules'")
    entries = document["rules"]
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{source}: 'rules' must be a non-empty list")
    rules = tuple(
        _parse_rule(entry, source, index, compile_regexes) for index, entry in enumerate(entries)
    )
    check_unique(rules)
    return rules


def check_unique(rules: tuple[Rule, ...]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(
                f"{rule.source}: rule {rule.id}: duplicate id (also defined in {seen[rule.id]})"
            )
        seen[rule.id] = rule.source


def _parse_rule(entry: object, source: str, index: int, compile_regexes: bool) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"{source}: rule #{index + 1} must be a mapping")
    rule_id = entry.get("id")
    where = f"{source}: rule {rule_id if isinstance(rule_id, str) else '#' + str(index + 1)}"

    def fail(message: str) -> RuleError:
        return RuleError(f"{where}: {message}")

    if not entry.keys() <= _RULE_KEYS:
        unknown = sorted(map(str, entry.keys() - _RULE_KEYS))
        raise fail(f"unknown key(s) {', '.join(unknown)}")
    missing = [key for key in _REQUIRED if key not in entry]
    if missing:
        raise fail(f"missing key(s) {', '.join(missing)}")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise fail("'id' must be kebab-case (lower-case letters, digits and '-')")
    kind = entry["kind"]
    if kind not in RULE_KINDS:
        raise fail(f"'kind' must be one of {', '.join(RULE_KINDS)}")
    severity = entry["severity"]
    if severity not in SEVERITIES:
        raise fail(f"'severity' must be one of {', '.join(SEVERITIES)}")
    keywords = _strings(entry, "keywords", fail)
    if not keywords or any(k != k.lower() or not k.strip() for k in keywords):
        raise fail("'keywords' must be a non-empty list of lower-case strings")
    pattern = entry["regex"]
    if not isinstance(pattern, str) or not pattern:
        raise fail("'regex' must be a non-empty string")
    pattern = splice(pattern)
    bind = _bindings(entry.get("bind", {}), pattern, fail)
    if compile_regexes:
        _check_regex(expand(pattern, bind)[0], fail)
    min_length = entry.get("min_length")
    if min_length is not None and (not isinstance(min_length, int) or min_length < 1):
        raise fail("'min_length' must be a positive integer")
    min_entropy = entry.get("min_entropy")
    if min_entropy is not None and (
        not isinstance(min_entropy, (int, float)) or not 0 <= min_entropy <= 8
    ):
        raise fail("'min_entropy' must be a number of bits per character between 0 and 8")
    window = entry.get("window")
    if window is not None and (type(window) is not int or window < 1):
        raise fail("'window' must be a positive number of characters")
    anchors = _strings(entry, "anchors", fail)
    if any(a != a.lower() or not a.strip() for a in anchors):
        raise fail("'anchors' must be a list of lower-case strings")
    if anchors and window is None:
        raise fail("'anchors' cut the rule's windows: give it a 'window' too")
    validate = entry.get("validate")
    if validate is not None and validate not in VALIDATIONS:
        raise fail(f"'validate' must be one of {', '.join(VALIDATIONS)}")
    return Rule(
        id=rule_id,
        description=_text(entry, "description", fail),
        kind=kind,
        severity=severity,
        keywords=keywords,
        pattern=pattern,
        paths=_strings(entry, "paths", fail),
        min_length=min_length,
        min_entropy=None if min_entropy is None else float(min_entropy),
        window=window,
        anchors=anchors,
        validate=validate,
        bind=bind,
        remediation=_remediation(entry["remediation"], fail),
        references=_strings(entry, "references", fail),
        examples=tuple(_example(e, fail, positive=True) for e in _list(entry, "examples", fail)),
        negative_examples=tuple(
            _example(e, fail, positive=False) for e in _list(entry, "negative_examples", fail)
        ),
        source=source,
    )


def _text(entry: Mapping[str, Any], key: str, fail: _Fail) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"'{key}' must be a non-empty string")
    return value.strip()


def _list(entry: Mapping[str, Any], key: str, fail: _Fail) -> list[object]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise fail(f"'{key}' must be a list")
    return value


def _strings(entry: Mapping[str, Any], key: str, fail: _Fail) -> tuple[str, ...]:
    values = _list(entry, key, fail)
    if not all(isinstance(v, str) and v for v in values):
        raise fail(f"'{key}' must be a list of non-empty strings")
    return tuple(cast("list[str]", values))


def _check_regex(value: str, fail: _Fail) -> None:
    try:
        pattern = _compiled(value)
    except re.error as exc:
        raise fail(f"'regex' does not compile: {exc}") from None
    if "secret" not in pattern.groupindex:
        raise fail("'regex' must have a named group 'secret' (?P<secret>...)")


def _bindings(value: object, pattern: str, fail: _Fail) -> tuple[Binding, ...]:
    if not isinstance(value, dict):
        raise fail("'bind' must map each placeholder name to its library")
    used = set(PLACEHOLDER.findall(pattern))
    if used != set(value):
        raise fail(
            "'bind' and the regex's placeholders (?&name) must name the same placeholders "
            f"(regex: {', '.join(sorted(used)) or 'none'}; bind: {', '.join(sorted(value))})"
        )
    bindings = []
    for name, spec in value.items():
        if name in FRAGMENTS:
            raise fail(f"bind {name}: the name of a shared fragment; choose another")
        if not isinstance(spec, dict) or not {"syntax", "modules", "names"} <= set(spec):
            raise fail(f"bind {name}: a mapping with 'syntax', 'modules', 'names' (and 'members')")
        if not spec.keys() <= _BIND_KEYS:
            unknown = sorted(map(str, spec.keys() - _BIND_KEYS))
            raise fail(f"bind {name}: unknown key(s) {', '.join(unknown)}")
        if spec["syntax"] not in SYNTAXES:
            raise fail(f"bind {name}: 'syntax' must be one of {', '.join(SYNTAXES)}")
        modules = _strings(spec, "modules", fail)
        names = _strings(spec, "names", fail)
        members = _strings(spec, "members", fail)
        if not modules or not names or not all(NAME.match(n) for n in (*names, *members)):
            raise fail(f"bind {name}: 'modules' and 'names' non-empty; names are identifiers")
        bindings.append(Binding(name, spec["syntax"], modules, names, members))
    return tuple(bindings)


def _remediation(value: object, fail: _Fail) -> Remediation:
    if not isinstance(value, dict):
        raise fail("'remediation' must be a mapping with 'fix' (and 'language', 'framework')")
    if not value.keys() <= _REMEDIATION_KEYS:
        unknown = sorted(map(str, value.keys() - _REMEDIATION_KEYS))
        raise fail(f"unknown remediation key(s) {', '.join(unknown)}")
    fix = _text(value, "fix", fail)
    language, framework = value.get("language"), value.get("framework")
    if not all(v is None or isinstance(v, str) for v in (language, framework)):
        raise fail("remediation 'language' and 'framework' must be strings")
    return Remediation(fix, language, framework)


def _example(value: object, fail: _Fail, *, positive: bool) -> Example:
    name = "examples" if positive else "negative_examples"
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        raise fail(f"each of '{name}' must be a string or a mapping with 'text'")
    if not value.keys() <= _EXAMPLE_KEYS:
        unknown = sorted(map(str, value.keys() - _EXAMPLE_KEYS))
        raise fail(f"unknown {name} key(s) {', '.join(unknown)}")
    text = value.get("text")
    secret = value.get("secret")
    path = value.get("path")
    if not isinstance(text, str) or not text:
        raise fail(f"each of '{name}' needs a non-empty 'text'")
    if positive and (not isinstance(secret, str) or not secret):
        raise fail(f"each of 'examples' must say which 'secret' it yields: {text[:60]!r}")
    if not positive and secret is not None:
        raise fail("'negative_examples' must not name a 'secret'")
    if path is not None and not isinstance(path, str):
        raise fail(f"'path' in '{name}' must be a string")
    return Example(text, secret if positive else None, path)

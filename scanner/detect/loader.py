"""Load the built-in rules and word lists (shipped in the wheel) plus the user's own."""

from __future__ import annotations

import contextlib
import importlib
import marshal
import signal
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from scanner import __version__
from scanner.detect import programs
from scanner.detect.driver import alarms
from scanner.detect.engine import (
    Interrupted,
    Ruleset,
    RuleTimeout,
    bound_regex,
    captures,
    detect,
)
from scanner.detect.prefilter import Haystack
from scanner.detect.rules import Rule, check_unique, load_yaml, parse_rule_document, parse_rule_file
from scanner.detect.weak import WeakKeys
from scanner.errors import RuleError, UsageError
from scanner.files import read_regular
from scanner.findings import Finding, Fragment
from scanner.startup import cache_folder, keep, read_private

# The package ``scanner.builtin_rules`` is the folder rules/ (see pyproject.toml), installed as
# plain files: its folder is found from its __file__, without importlib.resources' machinery.
_BUILTIN = Path(str(importlib.import_module("scanner.builtin_rules").__file__)).parent
_WEAK_KEYS = "weak-keys.txt"
_WORDS = "words.txt"
_RULE_FILE_LIMIT = 16 * 2**20  # bytes
_WORDLIST_LIMIT = 256 * 2**20  # bytes: room for the large public lists of leaked keys
# A rule's regex gets this long for its own examples and for the probes below, together, when
# a rule file is loaded: a regex that backtracks catastrophically is refused, naming the rule,
# instead of hanging every run (or failing each scan file by file).
RULE_BUDGET_SECONDS = 2.0
# Ordinary text a rule meets: after each keyword, a long run of one character that the regex
# may try to take in many ways, then a character that ends the match. (a+)+$ never returns.
_PROBE_RUN = 1000
_PROBE_CHARACTERS = "a0 \t-_.=/:'\"\\"


def load_ruleset(
    extra_rules: Sequence[Path] = (),
    wordlists: Sequence[Path] = (),
    *,
    accelerated: bool = False,
    versions: bool = False,
) -> Ruleset:
    """Built-in rules plus ``extra_rules`` (files or folders); user rules' examples must pass.
    ``accelerated``: for scans of many files; ``versions``: of versions of files (see
    :class:`Ruleset`)."""
    documents, programs_file = _builtin_documents()
    rules = [
        rule
        for source, document in documents
        for rule in parse_rule_document(document, source, compile_regexes=False)
    ]
    if programs_file is not None:
        programs.load(programs_file, (rule.expanded for rule in rules))
    entries = _lines((_BUILTIN / _WEAK_KEYS).read_text(encoding="utf-8"))
    extra = [
        entry
        for path in wordlists
        for entry in _lines(read_regular(path, "wordlist", limit=_WORDLIST_LIMIT))
    ]
    words = _lines((_BUILTIN / _WORDS).read_text(encoding="utf-8"))
    weak = WeakKeys(entries, words, extra)
    user = [rule for path in extra_rules for rule in load_rule_path(path)]
    ruleset = Ruleset((*rules, *user), weak, accelerated=accelerated, versions=versions)
    check_unique(ruleset.rules)
    for rule in user:
        failures = example_failures(rule, ruleset)
        if failures:
            raise RuleError(f"{rule.source}: rule {rule.id}: {failures[0]}")
    return ruleset


def _builtin_documents() -> tuple[list[tuple[str, object]], Path | None]:
    """The built-in rule files, parsed: from the cache when it holds these very files; and
    where their compiled regexes are kept (:mod:`scanner.detect.programs`), if anywhere.

    Parsing the YAML takes longer than the rest of a hook run's set-up; the same documents
    marshalled load twenty times faster (and twice as fast as JSON, whose module a hook would
    import for them alone: 4 ms of a hook's 90). The cache (``$XDG_CACHE_HOME/jwtscan``, else
    ``~/.cache/jwtscan``) is named after a hash of the files, jwtscan's version and Python's,
    so an upgrade or an edited rule never meets a stale entry; it is read only when it is this
    user's and no one else can write it (marshal trusts what it reads), and what is read back
    is validated like the YAML. A cache that cannot be read or written is ignored.
    """
    files = [
        (f"rules/{entry.name}", entry.read_bytes()) for entry in sorted(_BUILTIN.glob("*.yaml"))
    ]
    # CRC-32 and the total length: cheaper than a cryptographic hash (whose import alone costs
    # a hook run more), and what is read back is checked against the sources anyway. Of the
    # bytes: the text is decoded only to be parsed.
    digest, size = zlib.crc32(f"{__version__} {sys.version}".encode()), 0
    for source, raw in files:
        data = b"\0" + source.encode() + b"\0" + raw
        digest, size = zlib.crc32(data, digest), size + len(data)
    sources = [source for source, _ in files]
    directory = cache_folder()
    cached = None if directory is None else directory / f"rules-{digest:08x}-{size:x}.marshal"
    kept = None if directory is None else directory / f"regexes-{digest:08x}-{size:x}.marshal"
    if cached is not None:
        try:
            content = read_private(cached)  # another user's file could leave rules out
            stored = None if content is None else marshal.loads(content)
            if isinstance(stored, dict) and stored.get("sources") == sources:
                return list(zip(sources, stored["documents"], strict=True)), kept
        except (OSError, ValueError, EOFError, KeyError, TypeError):
            pass
    documents = [load_yaml(raw.decode("utf-8"), source) for source, raw in files]
    if cached is not None:
        _write_cache(cached, marshal.dumps({"sources": sources, "documents": documents}))
    return list(zip(sources, documents, strict=True)), kept


def _write_cache(path: Path, content: bytes) -> None:
    """Write atomically (concurrent hooks), replacing older rule caches; never fail the scan."""
    with contextlib.suppress(OSError):
        keep(path, content, "rules-*")


def load_rule_path(path: Path) -> tuple[Rule, ...]:
    """Rules from a YAML file, or from every ``*.yaml``/``*.yml`` file in a folder."""
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise UsageError(f"{path}: no rule files (*.yaml) in this folder")
    else:
        files = [path]
    return tuple(
        rule
        for file in files
        for rule in parse_rule_file(
            read_regular(file, "rule file", limit=_RULE_FILE_LIMIT), str(file)
        )
    )


def example_failures(rule: Rule, ruleset: Ruleset) -> list[str]:
    """What is wrong with the rule's own examples, one message each; empty when all pass.

    The examples and the probes of ordinary text share :data:`RULE_BUDGET_SECONDS` (on the
    main thread, where a timer signal can interrupt the regex).
    """
    with alarms() as timed:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, RULE_BUDGET_SECONDS)
        try:
            failures = _example_failures(rule, ruleset)
            _probe(rule)
        except (Interrupted, RuleTimeout):
            return [
                f"the regex ran out of time ({RULE_BUDGET_SECONDS:g} s) on its examples or on "
                "ordinary text: it backtracks catastrophically (nested or overlapping "
                "quantifiers such as (a+)+ or (\\w|\\d)*); rewrite it"
            ]
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_PROF, 0)
    return failures


def _probe(rule: Rule) -> None:
    """Run the regex over runs of common characters after each keyword (see _PROBE_RUN)."""
    for keyword in rule.keywords:
        for character in _PROBE_CHARACTERS:
            run = character * _PROBE_RUN
            for text in (f"{keyword}{run}\x00", f"{keyword} = '{run}\n", f"{run}{keyword}"):
                rule.regex.search(text)


def _example_failures(rule: Rule, ruleset: Ruleset) -> list[str]:
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
            failures.extend(_window_failures(rule, rule.window, alone, fragment, findings))
    for example in rule.negative_examples:
        fragment = Fragment(example.path or "example", example.text)
        if any(True for _ in detect(fragment, alone)):
            failures.append(f"negative example matches: {example.text[:80]!r}")
    return failures


def _window_failures(
    rule: Rule, window: int, alone: Ruleset, example: Fragment, findings: list[Finding]
) -> list[str]:
    """A windowed rule's matches in an example must each lie within ``window`` characters of an
    occurrence of a keyword (of an anchor, when the rule has anchors), and the example must
    yield the same values (its ``findings``) with more than a window of blank lines around it."""
    failures = []
    haystack = Haystack(example.text)
    regex, names = bound_regex(rule, haystack) if rule.bind else (None, ())
    for match in (regex or rule.regex).finditer(example.text):
        start, end = match.span()
        if not any(
            at - window <= start and end <= at + len(keyword) + window
            for keyword in (*(rule.anchors or rule.keywords), *names)
            for at in haystack.hits(keyword)
        ):
            shown = match.group(0)[:80]
            words = "anchor" if rule.anchors else "keyword"
            failures.append(
                f"'window' is set but a match lies farther than {window} characters from every "
                f"{words}: {shown!r}"
            )
    margin = "\n" * (window + 2)
    padded = Fragment(example.path, margin + example.text + margin)
    if [f.secret for f in detect(padded, alone)] != [f.secret for f in findings]:
        shown = example.text[:80]
        failures.append(f"example yields other values inside a longer text: {shown!r}")
    return failures


def _lines(text: str) -> Iterator[str]:
    """The lines of a list file that are neither blank nor comments, stripped, as they are
    taken (the weak-key lists are taken only when a value is judged)."""
    return (s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#"))

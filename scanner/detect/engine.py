"""Pure detection: run the rules a keyword prefilter selects and judge every captured value."""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from scanner.detect.fragments import splice
from scanner.detect.names import is_qualified, name_parts
from scanner.detect.prefilter import Haystack, Prefilter, Scanned, make_prefilter
from scanner.detect.rules import Rule
from scanner.detect.search import TRY_SPACING, finditer, keyword_led, leads
from scanner.detect.weak import WeakKeys
from scanner.filters.allow import allowed_inline
from scanner.findings import Finding, FindingKind, Fix, Fragment, Severity, severity_rank
from scanner.paths import GlobLists, is_template
from scanner.positions import Lines

if TYPE_CHECKING:
    from scanner.detect.memo import MatchMemo

# The pseudo-rule holding the keyword prefilter's time in --profile-rules (scanner.detect.profile,
# imported only when profiling: a hook does not pay for it).
PREFILTER = "(prefilter)"
_ALG = re.compile(r"\bHS(256|384|512)\b")
_ALG_BITS = re.compile(r"256|384|512")
# A string literal; one cut off by the end of the excerpt counts too.
_LITERAL = re.compile(r"""(?P<q>['"`])(?P<value>(?:\\.|(?!(?P=q))[^\\\n])*)(?P<end>(?P=q)|$)""")
# Files where a line starting with these is a comment: a commented-out value is not in use.
_COMMENTED = {".yaml": ("#",), ".yml": ("#",), ".properties": ("#", "!")}
_PRIVATE_KEY_ROTATE = (
    "Generate a new key pair, load the private key from a secret store or a mounted file that is "
    "not in git, and revoke the committed key: it stays in the history."
)


class Ruleset:
    """Rules, the weak-key dictionary, and the keyword prefilter for each kind of path.

    ``accelerated``: for many files. Use Hyperscan for the prefilter where it is installed, and
    remember what each rule matched in a window by the window's content (:mod:`scanner.detect.memo`:
    the versions of a file in a history share most windows). For the few files of a commit,
    importing Hyperscan and compiling its databases costs more than the pure-Python prefilter's
    whole run, and no window comes twice. ``versions``: the texts are versions of files (a
    history, a range of commits), whose pieces the pure-Python prefilter remembers.
    """

    __slots__ = (
        "_bits",
        "_by_id",
        "_by_mask",
        "_by_path",
        "_by_rules",
        "_chosen",
        "_globs",
        "_keyword_set",
        "_scanned",
        "accelerated",
        "keywords",
        "memo",
        "rules",
        "versions",
        "weak",
    )

    def __init__(
        self,
        rules: tuple[Rule, ...],
        weak: WeakKeys,
        *,
        accelerated: bool = False,
        versions: bool = False,
    ) -> None:
        self.rules = rules
        self.weak = weak
        self.accelerated = accelerated
        self.versions = versions
        self.memo: MatchMemo | None = None
        if accelerated:
            from scanner.detect.memo import MatchMemo

            self.memo = MatchMemo()
        self.keywords = tuple(sorted({k for rule in rules for k in rule.keywords}))
        self._keyword_set = frozenset(self.keywords)
        self._by_path: dict[str, tuple[tuple[Rule, ...], Prefilter]] = {}
        self._by_mask: dict[int, tuple[tuple[Rule, ...], Prefilter]] = {}
        self._by_rules: dict[tuple[int, ...], Prefilter] = {}
        self._by_id: dict[str, Rule] | None = None
        # The rules a prefilter's answer reaches, by prefilter and answer (see applicable).
        self._chosen: dict[tuple[Prefilter, frozenset[str]], tuple[Rule, ...]] = {}
        # What the prefilter found in the bytes may_apply last let through: their text is
        # judged next, and not searched again.
        self._scanned: Scanned | None = None
        # The distinct ``paths`` lists (many rules share one); each rule's bit in a path's mask.
        lists = list(dict.fromkeys(r.paths for r in rules if r.paths))
        self._globs = GlobLists(lists)
        self._bits = [1 << lists.index(r.paths) if r.paths else 0 for r in rules]

    def present(self, text: str) -> frozenset[str]:
        """The keywords of all rules that occur in ``text``, ignoring case."""
        found = self._prefilter(tuple(range(len(self.rules)))).present(Haystack(text))
        return found & self._keyword_set

    def without(self, rule_ids: frozenset[str]) -> Ruleset:
        """The same ruleset minus the rules named (configuration ``disable``)."""
        if not rule_ids:
            return self
        kept = tuple(r for r in self.rules if r.id not in rule_ids)
        return Ruleset(kept, self.weak, accelerated=self.accelerated, versions=self.versions)

    def applicable(self, path: str, haystack: Haystack) -> tuple[Rule, ...]:
        """The rules whose paths match and one of whose keywords occurs in the text."""
        rules, prefilter = self._for_path(path)
        scanned, self._scanned = self._scanned, None
        present = haystack.present = prefilter.present(haystack, scanned)
        haystack.sought = prefilter.sought
        return self._reached(rules, prefilter, present)

    def may_apply(self, path: str, data: bytes) -> bool:
        """Whether a rule can apply to the text of ``data`` (UTF-8 without a BOM) at ``path``:
        False when the prefilter, looking at the bytes, finds none of the keywords of the rules
        whose paths match, so the text needs no decoding; else True."""
        rules, prefilter = self._for_path(path)
        scanned = prefilter.scan(data)
        if scanned is None:
            return True
        if not self._reached(rules, prefilter, scanned.present):
            return False
        self._scanned = scanned
        return True

    def _reached(
        self, rules: tuple[Rule, ...], prefilter: Prefilter, present: frozenset[str]
    ) -> tuple[Rule, ...]:
        if not present:
            return ()
        # Texts of a kind mostly hold the same few keywords: the rules they reach, once.
        key = (prefilter, present)
        chosen = self._chosen.get(key)
        if chosen is None:
            if len(self._chosen) > 10_000:
                self._chosen.clear()
            chosen = tuple(rule for rule in rules if not present.isdisjoint(rule.keywords))
            self._chosen[key] = chosen
        return chosen

    def prefiltered(self, path: str, text: str) -> Prefiltered | None:
        """:meth:`applicable` in a form to send to another process; None when no rule applies."""
        haystack = Haystack(text)
        rules = self.applicable(path, haystack)
        if not rules:
            return None
        assert haystack.present is not None
        return Prefiltered(tuple(r.id for r in rules), haystack.present)

    def _by_ids(self, rule_ids: tuple[str, ...]) -> tuple[Rule, ...]:
        if self._by_id is None:
            self._by_id = {rule.id: rule for rule in self.rules}
        return tuple(self._by_id[i] for i in rule_ids)

    def _for_path(self, path: str) -> tuple[tuple[Rule, ...], Prefilter]:
        # Only the keywords of rules that can apply to this path are searched for; paths of
        # one kind (every *.py file) share one prefilter.
        cached = self._by_path.get(path)
        if cached is None:
            mask = self._globs.matching(path)
            cached = self._by_mask.get(mask)
            if cached is None:
                indexes = tuple(i for i, bit in enumerate(self._bits) if not bit or mask & bit)
                cached = (tuple(self.rules[i] for i in indexes), self._prefilter(indexes))
                self._by_mask[mask] = cached
            if len(self._by_path) > 50_000:
                self._by_path.clear()
            self._by_path[path] = cached
        return cached

    def _prefilter(self, indexes: tuple[int, ...]) -> Prefilter:
        prefilter = self._by_rules.get(indexes)
        if prefilter is None:
            # Anchors too: the prefilter's pass records where they are, for the windows.
            keywords = (
                k for i in indexes for k in (*self.rules[i].keywords, *self.rules[i].anchors)
            )
            prefilter = make_prefilter(
                keywords, accelerated=self.accelerated, versions=self.versions
            )
            self._by_rules[indexes] = prefilter
        return prefilter


@dataclass(frozen=True, slots=True)
class Prefiltered:
    """What the prefilter found in one text: the rules to run and the keywords present."""

    rule_ids: tuple[str, ...]
    present: frozenset[str]


class Interrupted(Exception):
    """Raised into a running regex by the caller's time budget (see scanner.detect.driver)."""


class RuleTimeout(Exception):
    """A rule's regex ran past the time budget on one text: likely catastrophic backtracking."""

    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id


@dataclass(frozen=True, slots=True)
class Capture:
    """Where a rule found a value: the secret's span and the match it came from."""

    start: int
    end: int
    match_start: int
    match_end: int
    algorithm: str | None


def detect(
    fragment: Fragment,
    ruleset: Ruleset,
    prefiltered: Prefiltered | None = None,
    unresolved: list[Unresolved] | None = None,
    timing: dict[str, float] | None = None,
) -> Iterator[Finding]:
    """Every finding in ``fragment``, one per secret position, in text order.

    ``prefiltered``: the prefilter's answer for this text, when it already ran elsewhere.
    ``unresolved``: gets the references at sinks that no literal of this text resolves (for
    the cross-file step, scanner/analyse/crossfile.py).
    ``timing``: CPU-seconds are added here per rule id (and the prefilter), for --profile-rules.
    """
    found: list[tuple[Rule, Capture]] = []
    lines: Lines | None = None
    focus = None
    if fragment.added_lines is not None:
        lines = Lines(fragment.text)
        focus = [lines.span(n) for n in sorted(fragment.added_lines) if lines.has(n)]
    haystack = Haystack(fragment.text, focus, fragment.utf8)
    wide = not ruleset.versions
    running = "prefilter"
    try:
        clock = 0.0 if timing is None else time.thread_time()
        if prefiltered is None:
            rules = ruleset.applicable(fragment.path, haystack)
        else:
            haystack.present = prefiltered.present
            rules = ruleset._by_ids(prefiltered.rule_ids)
        if timing is not None:
            timing[PREFILTER] = timing.get(PREFILTER, 0.0) + time.thread_time() - clock
        for rule in rules:
            running = rule.id
            if timing is None:
                found.extend(
                    (rule, capture)
                    for capture in captures(rule, haystack, unresolved, ruleset.memo, wide)
                )
                continue
            clock = time.thread_time()
            found.extend(
                (rule, capture)
                for capture in captures(rule, haystack, unresolved, ruleset.memo, wide)
            )
            timing[rule.id] = timing.get(rule.id, 0.0) + time.thread_time() - clock
    except Interrupted:
        raise RuleTimeout(running) from None
    if not found:
        return
    if lines is None:  # only now: most texts that pass the prefilter capture nothing
        lines = Lines(fragment.text)
    best: dict[tuple[int, int], tuple[Finding, Rule]] = {}
    for rule, capture in found:
        line = lines.line_of(capture.start)
        if fragment.added_lines is not None and line not in fragment.added_lines:
            continue
        if allowed_inline(lines, rule.id, line, lines.line_of(capture.match_start)):
            continue
        finding = _finding(rule, fragment, capture, lines, ruleset.weak, haystack)
        if finding is None:
            continue
        key = (capture.start, capture.end)
        if key not in best or _better(finding, rule, *best[key]):
            best[key] = (finding, rule)
    for key in sorted(best):
        yield best[key][0]


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A name a sink uses that no literal of its own text is bound to (``config.secret``)."""

    rule_id: str
    name: str
    offset: int


def captures(
    rule: Rule,
    haystack: Haystack,
    unresolved: list[Unresolved] | None = None,
    memo: MatchMemo | None = None,
    wide: bool = False,
) -> Iterator[Capture]:
    """Raw captures of ``rule`` in the text, resolving ``ref`` names to their literal; the
    names left (and every ``xref``, which only another file can resolve) go to ``unresolved``.
    ``memo``: windows' matches remembered from other texts (a windowed rule only). ``wide``:
    no text comes back (a working tree): where a rule's windows cover much of the text, its
    leads are found in the whole text (see :func:`_lead_starts`)."""
    text = haystack.text
    regex, names = bound_regex(rule, haystack) if rule.bind else (None, ())
    # The words a windowed rule's windows are cut around: its anchors (which the prefilter
    # looked for too, see Ruleset._prefilter), else its keywords; and the names bound.
    around = rule.anchors or rule.keywords
    if rule.window is None:
        spans = [(0, len(text))]
    else:
        spans = haystack.windows(around, rule.window, names)
    if not spans:
        return  # and the regex is never compiled: a hook's added lines are often far from any
    regex = regex or rule.regex
    has_ref = "ref" in regex.groupindex
    has_xref = "xref" in regex.groupindex
    has_alg = "alg" in regex.groupindex
    has_items = "items" in regex.groupindex
    # A window starts at a line start and ends after a newline: ^, $ and look-behinds (which
    # see the text before the window) behave as on the whole text.
    # In a scan of many files, a rule every match of which starts with one of its keywords is
    # tried at their hits alone, which costs less than digesting its windows for the memo.
    led = None if memo is None or rule.anchors else keyword_led(regex, rule.keywords)
    starts = None if led is None else haystack.starts(led)
    if starts is None and wide and memo is not None and rule.window is not None:
        stretches = partial(haystack.reached, around, rule.window, names)
        starts = _lead_starts(regex, haystack, spans, stretches)
    if memo is not None and not wide and rule.window is not None and starts is None:
        # Versions of files: their windows come back (a working tree's do not: digesting
        # them cost the Go vendor tree's workers 5% and the memo's room 5 MiB).
        matches = memo.finditer(regex, text, spans, haystack.digests, haystack.folded)
    elif memo is not None:  # see scanner.detect.search
        matches = (
            match
            for start, end in spans
            for match in finditer(regex, text, start, end, haystack.folded, starts)
        )
    else:  # a hook's few texts: reading a pattern's leads (~10 ms) would cost more than it saves
        matches = (match for start, end in spans for match in regex.finditer(text, start, end))
    for match in matches:
        span: tuple[int, int] | None = None
        if match.group("secret") is not None:
            span = _default_of(text, match.span("secret"))
        elif has_ref and match.group("ref"):
            span = _resolve(match.group("ref"), haystack, match.start("ref"))
            if span is None and unresolved is not None:
                unresolved.append(Unresolved(rule.id, match.group("ref"), match.start("ref")))
        elif unresolved is not None and has_xref and match.group("xref"):
            unresolved.append(Unresolved(rule.id, match.group("xref"), match.start("xref")))
        if span is not None:
            algorithm = _algorithm(match, text, has_alg, span)
            yield Capture(*span, match.start(), match.end(), algorithm)
        if has_items and match.group("items"):
            yield from _items(match, text, has_alg)


# A rule's windows covering at least this share of a text (of many files) are searched at its
# leads' hits in the whole text, shared by the rules with those leads.
WIDE_SHARE = 0.5
# Where the stretches within a rule's reach of its keywords cover less than this share of the
# text, its leads are searched there only (3% of a one-line OpenAPI document: the keywords
# "secret" and "signing" of the generic rules), not in the whole text.
NEAR_SHARE = 0.25


def _lead_starts(
    regex: re.Pattern[str],
    haystack: Haystack,
    spans: list[tuple[int, int]],
    stretches: Callable[[], list[tuple[int, int]]],
) -> list[int] | None:
    """Where a match of ``regex`` can start (see ``search.finditer``), from the hits of its
    leads in the whole text, when its windows cover at least WIDE_SHARE of it; else None.

    Searched window by window, each lead is one pass over each window and each occurrence a
    turn of a loop in Python: on a one-line OpenAPI document of 3 MB (a single window, 2,900
    hits of "auth", "token", "secret" ...) each rule made 4,000 such turns, 20-45 ms. Hits in
    the whole text are found once per lead for all the rules that have it, and a match is
    tried at each, as the search would (a lead found lower-cased is an offset where a match
    may start, more than one may not). Only the hits in the ``stretches`` within the rule's
    reach of a keyword (``Haystack.reached``) are kept: every match starts in one, though the
    window widened to its lines is the whole of a minified file; where they are a small part
    of the text, the leads are searched in them alone."""
    lead = leads(regex)
    if lead is None:
        return None
    covered = sum(end - start for start, end in spans)
    if covered < WIDE_SHARE * len(haystack.text):
        return None
    words = tuple(sorted({w.lower() for w in lead.words}))
    reached = stretches()
    if sum(end - start for start, end in reached) < NEAR_SHARE * len(haystack.text):
        hits = haystack.hits_near(words, reached)  # in the stretches already
    else:
        hits = haystack.starts(words, of_prefilter=False)
        if hits is not None and reached != [(0, len(haystack.text))]:
            hits = [
                at
                for start, end in reached
                for at in hits[bisect_left(hits, start) : bisect_left(hits, end)]
            ]
    if hits is None:
        return None
    # Leads met everywhere (see search.PROBATION) are left to the engine's search, unless
    # only a few of their hits are near a keyword.
    if lead.common() and len(hits) * TRY_SPACING > covered:
        return None
    return hits


# ${VAR:-default} and ${VAR-default} (shell, compose), ${VAR:=default}, ${key:default} (Spring,
# Micronaut): the value used when the variable is unset is a literal like any other.
_DEFAULTED = re.compile(r"\$\{[A-Za-z_][\w.-]*(?::-|:=|-|=|:(?![?+=-]))(?P<default>[^${}]*)\}")


def _default_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The default inside a captured reference with one, else the capture itself."""
    if text.startswith("${", span[0]):
        defaulted = _DEFAULTED.fullmatch(text, *span)
        if defaulted:
            return defaulted.span("default")
    return span


def _items(match: re.Match[str], text: str, has_alg: bool) -> Iterator[Capture]:
    """Every closed string literal in the ``items`` group: the other keys of a list whose
    first one is the ``secret`` (``app.keys = ['a', 'b']``: both sign)."""
    start, end = match.span("items")
    # One algorithm for the list, never read from the keys themselves: once, not per key.
    algorithm = _algorithm(match, text, has_alg, (start, end))
    for literal in _LITERAL.finditer(text, start, end):
        if literal.group("end"):
            yield Capture(*literal.span("value"), match.start(), match.end(), algorithm)


def bound_regex(rule: Rule, haystack: Haystack) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """The rule's regex with the names this text's imports bind to its libraries, and those
    names (a windowed rule also runs around them); None when the text binds none."""
    from scanner.detect.bindings import expand, imports

    bound = haystack.bound
    for binding in rule.bind:
        if binding.syntax not in bound:
            bound[binding.syntax] = imports(binding.syntax, haystack.text)
    pattern, names = expand(rule.pattern, rule.bind, haystack.text, bound)
    if not names:
        return None, ()
    return _compiled_bound(pattern), tuple(n.lower() for n in names)


@lru_cache(maxsize=512)
def _compiled_bound(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _algorithm(
    match: re.Match[str], text: str, has_alg: bool, value: tuple[int, int]
) -> str | None:
    """HS256/384/512 from the rule's ``alg`` group (``HS512``, ``HMAC512``), else on the line.

    Never from the key itself (``HS256-secret``): what a report says must not depend on it."""
    if has_alg and match.group("alg"):
        bits = _ALG_BITS.search(match.group("alg"))
        return f"HS{bits.group(0)}" if bits else None
    # The statement the key is in: the match and the rest of its last line, never further.
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end == -1 else line_end
    start, end = value
    for span in ((line_start, min(start, line_end)), (max(end, line_start), line_end)):
        found = _ALG.search(text, *span)
        if found:
            return found.group(0)
    return None


@lru_cache(maxsize=256)
def _assignment(name: str, member: bool) -> re.Pattern[str]:
    # NAME = "x", NAME := []byte("x"), const NAME: &[u8] = b"x", final String NAME = "x",
    # $name = 'x' (PHP), @name ||= 'x' (Ruby), name ??= 'x'; and for a member (config.secret)
    # also the object property secret: "x". A type annotation holds no quotes, braces or commas.
    # An Elixir module attribute binds without an operator (@name "x"), an RSpec let with a block
    # (let(:name) { 'x' }). The literal may sit in
    # a key wrapper (NAME = Buffer.from('x', 'base64'), @name Base.decode64!("x")).
    operators = r"(?::=|=>|\|\|=|\?\?=|=|:)" if member else r"(?::=|\|\|=|\?\?=|=)"
    return re.compile(
        rf"(?<![\w.])(?:[$@]?{re.escape(name)}\s*(?::\s*[^=\n;:,(){{}}'\"`]{{1,60}}?\s*)?"
        rf"{operators}|@{re.escape(name)}(?=[ \t])|\blet!?\(\s*:{re.escape(name)}\s*\)\s*\{{)\s*"
        + splice(r"(?:(?&key_wrapper)|b|r|@|u8)?")
        + r"(?P<q>[\"'`])(?P<secret>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"
    )


@lru_cache(maxsize=256)
def _import_of(name: str) -> re.Pattern[str]:
    # const config = require('../config'), import config from, import * as config from,
    # from app import config, import config (Python).
    n = re.escape(name)
    return re.compile(
        rf"(?:\b(?:const|let|var)\s+{n}\s*=\s*require\s*\("
        rf"|\bimport\s+(?:\*\s+as\s+)?{n}\s+from\b"
        rf"|^[ \t]*(?:from\s+[\w.]+\s+)?import\s+(?:[\w.]+\s+as\s+)?{n}[ \t]*$)",
        re.MULTILINE,
    )


def _imported(name: str, haystack: Haystack) -> bool:
    """``name`` is a module this file imports."""
    if not name:
        return False
    found = haystack.imports.get(name)
    if found is None:
        found = haystack.imports[name] = _import_of(name).search(haystack.text) is not None
    return found


def _resolve(reference: str, haystack: Haystack, before: int) -> tuple[int, int] | None:
    """The literal a name is bound to in the same text: ``const SECRET = 'x'`` for ``SECRET``.

    The nearest binding before the use wins (shadowing); else the first one after it (hoisting).
    """
    if is_qualified(reference):
        if "[" in reference:
            return None  # a key path (settings['jwt']['signing']): scanner/analyse/qualified.py
        # Config::SECRET, self::$key, $this->secret: a constant or property of a class.
        member, name = False, name_parts(reference)[-1]
    else:
        member = "." in reference
        name = reference.rsplit(".", 1)[-1].lstrip("$@")
    if not name:
        return None
    if member and _imported(reference.split(".", 1)[0], haystack):
        # config.key with config = require('../config'): the key is in that module, not in a
        # property of the same name in this file (session({ key: 'sid' })). Another file says.
        return None
    bindings = haystack.assignments.get((name, member))
    if bindings is None:
        found = list(_assignment(name, member).finditer(haystack.text))
        bindings = haystack.assignments[name, member] = (
            [binding.start() for binding in found],
            [binding.span("secret") for binding in found],
        )
    starts, secrets = bindings
    if not starts:
        return None
    earlier = bisect_left(starts, before)
    return secrets[earlier - 1] if earlier else secrets[0]


def _masked(code: str) -> str:
    """``code`` with the value of every string literal hidden (``JWT.decode(t, '…', false)``),
    except algorithm names and placeholders ('none', 'HS256', ${VAR}): they say what is wrong."""
    from scanner.detect.judge import is_placeholder

    def hide(literal: re.Match[str]) -> str:
        value = literal.group("value")
        if is_placeholder(value):
            return literal.group(0)
        return f"{literal.group('q')}…{literal.group('end')}"

    return _LITERAL.sub(hide, code)


def _finding(
    rule: Rule,
    fragment: Fragment,
    capture: Capture,
    lines: Lines,
    weak: WeakKeys,
    haystack: Haystack,
) -> Finding | None:
    """The finding of ``capture`` in ``fragment`` (whose text ``haystack`` holds), or None."""
    # Imported on the first capture: a hook run on clean changes never needs them.
    from scanner.detect.algorithm import key_algorithm
    from scanner.detect.der import is_der_private_key
    from scanner.detect.judge import judge, not_a_signing_key, other_kind
    from scanner.detect.remedies import secret_fix, setting_name

    secret = fragment.text[capture.start : capture.end]
    line, column = lines.position(capture.start)
    end_line, end_column = lines.position(capture.end)
    base = Finding(
        rule.id,
        "hardcoded-secret",
        rule.severity,
        fragment.origin or fragment.path,
        line,
        column,
        end_line,
        end_column,
        secret,
        "",
        (),
        Fix(rule.remediation.fix),
        commit=fragment.commit,
        blob=fragment.blob,
    )
    headline = rule.description.splitlines()[0]
    if rule.validate == "der-private-key" and not is_der_private_key(secret):
        return None
    match rule.kind:
        case "private-key":
            matched = fragment.text[capture.match_start : capture.match_end]
            encrypted = "ENCRYPTED" in matched or "encrypted" in rule.id
            reasons = (
                ("an encrypted private key: its passphrase can be guessed offline",)
                if encrypted
                else ("a private signing key in plain text",)
            )
            return replace(
                base,
                kind="private-key",
                message=f"Private key committed: {headline}",
                reasons=reasons,
                remediation=Fix(rule.remediation.fix, rotate=_PRIVATE_KEY_ROTATE),
            )
        case "token":
            return _token_finding(base, rule)
        case "insecure-verification":
            return replace(
                base,
                kind="jwt-insecure-verification",
                secret="",
                message=headline,
                reasons=(f"code: {_masked(' '.join(secret.split()))[:160]}",),
            )
        case "secret":
            if "-----BEGIN " in secret:
                # A PEM block handed to a signing call (an RS256/ES256 private key, a public key
                # or certificate) is no HMAC secret: the private-key rules judge the block.
                return None
            lead = _lead(fragment.text, capture)
            if _commented_out(fragment, capture) or not_a_signing_key(
                secret, lead, setting_name(fragment.text, capture.start, capture.end), weak
            ):
                return None
            other = other_kind(lead, haystack) or _passed_as_other_kind(lead, haystack)
            if other is not None:
                return _other_kind_finding(base, other, weak)
    generic = (
        (
            16 if rule.min_length is None else rule.min_length,
            3.0 if rule.min_entropy is None else rule.min_entropy,
        )
        if rule.generic
        else None
    )
    use = (
        key_algorithm(
            fragment.text, capture.start, capture.end, capture.algorithm, haystack.named_at
        )
        if rule.kind == "secret"
        else None
    )
    judgement = judge(
        secret,
        weak,
        algorithm=capture.algorithm if use is None else use.algorithm,
        used_at=None if use is None else use.line,
        generic=generic,
        # A code block in a document is code, judged as such (a weak key in a README sample is
        # copied into applications); prose and templates (``.env.example``) keep their bar.
        template=is_template(fragment.path),
    )
    kind: FindingKind
    severity: Severity
    match judgement.verdict:
        case "not-secret":
            return None
        case "weak":
            kind, severity, label = "weak-secret", "critical", "Weak signing key hardcoded"
        case "hardcoded":
            kind, severity, label = "hardcoded-secret", rule.severity, "Signing key hardcoded"
    name = setting_name(fragment.text, capture.start, capture.end)
    return replace(
        base,
        kind=kind,
        severity=severity,
        message=f"{label}: {judgement.reasons[0]}",
        reasons=judgement.reasons,
        remediation=secret_fix(
            rule.remediation.fix,
            fragment.path,
            rule.remediation.language,
            rule.remediation.framework,
            name,
        ),
        strength=judgement.strength,
        name=name,
    )


def _commented_out(fragment: Fragment, capture: Capture) -> bool:
    """The value is on a comment line of YAML or ``.properties``: not in use."""
    comment = _COMMENTED.get(fragment.path[fragment.path.rfind(".") :].lower())
    line_start = fragment.text.rfind("\n", 0, capture.start) + 1
    return comment is not None and fragment.text[line_start : capture.start].lstrip().startswith(
        comment
    )


def _lead(text: str, capture: Capture) -> str:
    """The code before the value: its line, and the rule's match when the value lies elsewhere
    (a name resolved to its literal: ``client_secret=CLIENT`` for ``CLIENT = '...'``)."""
    line_start = text.rfind("\n", 0, capture.start) + 1
    lead = text[max(line_start, capture.start - 200) : capture.start]
    if not capture.match_start <= capture.start < capture.match_end:
        lead = f"{text[capture.match_start : capture.match_end]} {lead}"
    return lead


_BOUND = re.compile(
    r"""([A-Za-z_$][\w$]*)['"]?\s*:?=\s*[bru]?['"`]?$|([A-Za-z_$][\w$]*)\s*:\s*[bru]?['"`]?$"""
)


def _passed_as_other_kind(lead: str, haystack: Haystack) -> str | None:
    """The kind of secret a constant is handed on as in the same text: ``CLEARTEXT_SECRET =
    '...'`` then ``client_secret=CLEARTEXT_SECRET`` or ``{"SOCIAL_AUTH_X_SECRET": _SECRET}``.
    Once a name and text: a test file binding ``secret`` a thousand times is read once."""
    from scanner.detect.judge import other_kind

    bound = _BOUND.search(lead)
    if bound is None:
        return None
    name = bound.group(1) or bound.group(2)
    if name not in haystack.passed_as:
        haystack.passed_as[name] = next(
            (kind for use in _uses(name, haystack.text) if (kind := other_kind(use, haystack))),
            None,
        )
    return haystack.passed_as[name]


@lru_cache(maxsize=256)
def _use_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"""([\w$.-]+)['"]?\s*[:=]\s*{re.escape(name)}(?![\w$])""")


def _uses(name: str, text: str) -> Iterator[str]:
    r"""What ``name`` is assigned or passed to (``client_secret=NAME``, ``"X_SECRET": NAME``):
    the matches of ``([\w$.-]+)['"]?\s*[:=]\s*NAME`` that ``finditer`` would give, in order.

    From each occurrence of the name back to where such a match would start, then the regex
    there: a search of the whole text starts over at every character of every word (80 ms a
    value on a long test file)."""
    pattern = _use_pattern(name)
    at = 0  # where the previous match ended: the next one starts there or later
    found = text.find(name)
    while found != -1:
        i = found
        while i > at and text[i - 1].isspace():
            i -= 1
        if i > at and text[i - 1] in ":=":
            i -= 1
            while i > at and text[i - 1].isspace():
                i -= 1
            if i > at and text[i - 1] in "'\"":
                i -= 1
            start = i
            while start > at and (text[start - 1].isalnum() or text[start - 1] in "_$.-"):
                start -= 1
            use = pattern.match(text, start) if start < i else None
            if use is not None and use.end() == found + len(name):
                yield use.group(1)
                at = use.end()
        found = text.find(name, max(found + 1, at))


def _other_kind_finding(base: Finding, kind: str, weak: WeakKeys) -> Finding | None:
    """A secret of another kind is no JWT key: no RFC 7518 verdict. A random-looking one is
    still a live credential and reported as what it is; a test value (``secret``), a word-made
    one or a reference is dropped."""
    from scanner.detect.judge import is_placeholder, random_shaped

    if is_placeholder(base.secret) or not random_shaped(base.secret, weak):
        return None
    return replace(
        base,
        message=f"Secret hardcoded: {kind}, not a token-signing key",
        reasons=(f"{kind} (named so by the code), random-looking: a live credential",),
    )


_TOKEN_SEVERITY: dict[str, Severity] = {
    "never": "high",
    "far-future": "high",
    "valid": "medium",
    "expired": "low",
    "long-expired": "low",
}


def _token_finding(base: Finding, rule: Rule) -> Finding | None:
    from scanner.detect.jwt import expiry, summary
    from scanner.detect.jwt import parse as parse_token

    token = parse_token(base.secret)
    if token is None:
        return None  # not a JOSE header: a look-alike, a truncated example
    fields = tuple(summary(token).items())
    described = ", ".join(f"{k}={v}" for k, v in fields)
    if token.unsigned:
        return replace(
            base,
            kind="jwt-unsigned-token",
            severity="high",
            token=fields,
            message="Unsigned JWT (alg: none): any party can forge such tokens",
            reasons=(described, "a verifier that accepts it accepts anything"),
        )
    if token.malformed:
        return replace(
            base,
            kind="jwt-token",
            severity="low",
            token=fields,
            message="Malformed JWT with a real header: probably truncated, still check it",
            reasons=(described, "the payload or signature does not decode"),
        )
    if token.form == "jwe":
        return replace(
            base,
            kind="jwt-token",
            severity="medium",
            token=fields,
            message="Encrypted JWT (JWE) committed: treat it as a credential",
            reasons=(described,),
        )
    expires = expiry(token.claims)
    return replace(
        base,
        kind="jwt-token",
        severity=_TOKEN_SEVERITY[expires.state],
        token=fields,
        message=f"JWT committed ({token.alg}): it {expires.words}",
        reasons=(described, expires.words),
    )


def _better(new: Finding, new_rule: Rule, old: Finding, old_rule: Rule) -> bool:
    """Between two rules that caught the same value, keep the graver, then the more specific:
    a non-generic rule over a generic one, then a rule scoped by ``paths`` over an unscoped one."""
    if severity_rank(new.severity) != severity_rank(old.severity):
        return severity_rank(new.severity) > severity_rank(old.severity)
    if old_rule.generic != new_rule.generic:
        return old_rule.generic
    return bool(new_rule.paths) and not old_rule.paths

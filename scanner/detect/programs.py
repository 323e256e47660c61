"""The built-in rules' regexes, compiled once and kept between runs.

Python compiles a regex in Python: parsing and code generation take 1-5 ms for a large rule,
which a hook run pays for each rule its changes reach, and every worker of a scan for every
rule. What the compiler produces (the program ``_sre`` runs, with its groups) is kept in the
cache folder beside the parsed rules, named after the same digest of the rule files, jwtscan's
version and Python's (see :func:`scanner.detect.loader.load_ruleset`): a later run hands it to
``_sre.compile`` directly and gets the very pattern ``re.compile`` would have given. Written
once, by the first run that finds no such file, for every built-in rule. Anything unusual (an
interpreter without these internals, a file that cannot be read or does not check out) means
``re.compile`` as usual.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import zlib
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeGuard

from scanner.startup import keep, read_private

# pattern -> (flags, program as machine words, groups, group index, index group)
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
# What a scan of many files reads from a pattern's parse (scanner/detect/search.py): how far
# its look-behinds reach, its leads (none: empty) and whether they are lower-cased. Parsing the
# rules a worker runs took it 0.1 s; kept with the programs, no worker parses a built-in rule.
Facts = tuple[int, tuple[str, ...], bool]

_STORE: dict[str, Program] = {}
_FACTS: dict[str, Facts] = {}
_WORD = "I"  # the program's words: SRE_CODE is 32 bits


def load(path: Path, patterns: Iterable[str]) -> None:
    """Read the programs kept at ``path`` (and their facts); when there are none, compile
    ``patterns`` and keep them there (never failing the scan: a cache that cannot be written
    is no cache)."""
    try:
        # Only a file no one else could have written: what it holds decides what matches.
        data = read_private(path)
        stored = None if data is None else marshal.loads(data)
        if _well_formed(stored):
            _STORE.update(stored["programs"])
            analysis = _analysis()
            if analysis is None:  # none used: read from the parses when needed
                return
            if stored["analysis"] == analysis:  # else read anew and kept
                _FACTS.update(stored["facts"])
                return
    except (OSError, ValueError, EOFError, TypeError):
        pass
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # The facts cost a parse of every pattern (0.2 s): read only for a file that can be kept.
    analysis = _analysis() if os.access(path.parent, os.W_OK) else None
    programs: dict[str, Program] = {}
    facts: dict[str, Facts] = {}
    for pattern in patterns:
        program = _STORE.get(pattern) or _program(pattern)  # kept already: another folder
        if program is None:
            return  # this interpreter's compiler is not what we know: no cache
        programs[pattern] = program
        if analysis is not None:
            made = _made(pattern, program)
            if made is None:
                return
            facts[pattern] = _facts(made)
    _STORE.update(programs)
    _FACTS.update(facts)
    with contextlib.suppress(OSError, ValueError):  # no cache: compiled each time
        kept = {"programs": programs, "facts": facts, "analysis": analysis}
        keep(path, marshal.dumps(kept), "regexes-*.marshal")


def kept_facts(regex: re.Pattern[str]) -> Facts | None:
    """The facts kept for ``regex`` (a built-in rule's, as compiled); None for another."""
    found = _FACTS.get(regex.pattern)
    program = _STORE.get(regex.pattern)
    if found is None or program is None or program[0] != regex.flags:
        return None
    return found


@lru_cache(maxsize=1)
def _analysis() -> int | None:
    """A digest of the code that reads the facts from a parse (scanner/detect/search.py):
    facts kept by other code are read anew, even under the same version (a working copy).
    None when that code cannot be read: no facts are then kept or used."""
    from scanner.detect import search

    try:
        return zlib.crc32(Path(search.__file__).read_bytes())
    except (OSError, TypeError):
        return None


def _facts(regex: re.Pattern[str]) -> Facts:
    from scanner.detect.search import parsed_leads, parsed_lookback

    lead = parsed_leads(regex)
    words = () if lead is None else lead.words
    return parsed_lookback(regex), words, lead is not None and lead.folded


def _well_formed(stored: object) -> TypeGuard[dict[str, Any]]:
    """A kept file as :func:`load` writes it: programs, facts of some of them, and the digest
    of the code that read the facts (a file of an older format, or damaged, is not)."""
    if not isinstance(stored, dict) or set(stored) != {"programs", "facts", "analysis"}:
        return False
    programs, facts, analysis = stored["programs"], stored["facts"], stored["analysis"]
    return (
        isinstance(programs, dict)
        and isinstance(facts, dict)
        and (analysis is None or isinstance(analysis, int))
        and facts.keys() <= programs.keys()
        and all(isinstance(p, tuple) and len(p) == 5 for p in programs.values())
        and all(
            isinstance(f, tuple)
            and len(f) == 3
            and isinstance(f[0], int)
            and f[0] >= 1
            and isinstance(f[1], tuple)
            and all(isinstance(w, str) and w for w in f[1])
            and isinstance(f[2], bool)
            for f in facts.values()
        )
    )


def compiled(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, from the kept program when there is one."""
    program = _STORE.get(pattern)
    if program is not None:
        made = _made(pattern, program)
        if made is not None:
            return made
        del _STORE[pattern]
    return re.compile(pattern)


def _made(pattern: str, program: Program) -> re.Pattern[str] | None:
    """The pattern ``_sre`` makes of a program; None when it refuses it."""
    try:
        import _sre  # type: ignore[import-not-found]

        flags, words, groups, groupindex, indexgroup = program
        code = array(_WORD, words).tolist()
        made: re.Pattern[str] = _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
    except (ImportError, TypeError, ValueError, RuntimeError, OverflowError):
        return None
    return made


def _program(pattern: str) -> Program | None:
    """What ``re.compile(pattern)`` hands to ``_sre.compile`` (the steps of
    ``re._compiler.compile``); None when this interpreter's compiler does not look as expected
    or ``_sre`` refuses the program."""
    try:
        parser, compiler = internals()
        parsed = parser.parse(pattern, 0)
        code = compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        words = array(_WORD, code)
        if words.itemsize != 4:
            return None
        program: Program = (
            0 | parsed.state.flags,
            words.tobytes(),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    except (AttributeError, ImportError, TypeError, ValueError, OverflowError, re.error):
        return None
    return program if _made(pattern, program) is not None else None


@lru_cache(maxsize=8)
def parsed(regex: re.Pattern[str]) -> Any:
    """``regex`` as Python's parser reads it, for what the compiled pattern does not tell (how
    far its look-behinds reach, the literals its matches open with): each is read for a regex
    just before the other, so the last few parsed are kept."""
    return internals()[0].parse(regex.pattern, regex.flags)


def internals() -> tuple[Any, Any]:
    """Python's regex parser and compiler modules."""
    try:
        from re import _compiler as compiler  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_compile as compiler
        import sre_parse as parser
    return parser, compiler

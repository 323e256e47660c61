"""The weak-key dictionary: the shipped list of known keys, the word list for word-made keys and
their normal forms. Its own module: the loader builds a :class:`WeakKeys` on every run, and a
hook run that captures no value never imports the judge (scanner.detect.judge)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_TRAILING_DIGITS = re.compile(r"\d+$")


class WeakKeys:
    """The weak-key dictionary (normalised forms) and the word list for word-made keys.

    Both sets, and the lists they come from, are built on first use: a hook run that captures
    no value never pays for them.
    """

    def __init__(
        self, entries: Iterable[str], words: Iterable[str], extra: Iterable[str] = ()
    ) -> None:
        # Taken as they come, on first use: the loader hands lines not yet split off.
        self._entries = entries
        self._words = words
        self._extra = tuple(entry for entry in extra if entry)  # --wordlist entries

    @cached_property
    def _builtin(self) -> tuple[str, ...]:
        return tuple(entry for entry in self._entries if entry)

    @property
    def size(self) -> int:
        """Dictionary entries (built-in and --wordlist) before normalisation."""
        return len(self._builtin) + len(self._extra)

    @cached_property
    def entries(self) -> frozenset[str]:
        raw = (*self._builtin, *self._extra)
        forms = (form for entry in raw for form in variants(entry))
        return frozenset(form for form in forms if len(form) >= 3)

    @cached_property
    def exact(self) -> frozenset[str]:
        """Entries as written, short ones included (``qa``: too short for the normal forms)."""
        return frozenset((*self._builtin, *self._extra))

    @cached_property
    def candidates(self) -> tuple[bytes, ...]:
        """Keys to try on a token: built-in entries with their spellings, then --wordlist ones."""
        spelled = (v for entry in self._builtin for v in spellings(entry))
        return tuple(dict.fromkeys(k.encode() for k in (*spelled, *self._extra)))

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(word.lower() for word in self._words if word)


def spellings(key: str) -> tuple[str, ...]:
    """The spellings people use for a dictionary key: case and common suffixes."""
    forms = (key, key.lower(), key.upper(), key.capitalize(), f"{key}1", f"{key}123", f"{key}!")
    return tuple(dict.fromkeys(forms))


def variants(value: str) -> set[str]:
    """Normal forms that catch case, separator, leetspeak and appended-digit variations."""
    squashed = _NOT_ALNUM.sub("", value.lower())
    trimmed = _TRAILING_DIGITS.sub("", squashed)
    deleeted = _NOT_ALNUM.sub("", value.lower().translate(_LEET))
    deleeted_trimmed = _NOT_ALNUM.sub("", _TRAILING_DIGITS.sub("", value.lower()).translate(_LEET))
    return {squashed, trimmed, deleeted, deleeted_trimmed} - {""}

"""The HMAC algorithm a key is used with: at its sink, or where the code uses its name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

BITS = {"HS256": 256, "HS384": 384, "HS512": 512}
# HS512, SignatureAlgorithm.HS512, jwt.SigningMethodHS512, Algorithm.HMAC512, HmacSHA512,
# JWSAlgorithm.HS512, SecurityAlgorithms.HmacSha512Signature: every library's names for them.
_NAMED = re.compile(
    r"(?:\b|SigningMethod)HS(256|384|512)\b|\bHMAC_?(?:SHA_?)?(256|384|512)(?:Signature)?\b",
    re.IGNORECASE,
)
# A name the key's value is given to: ``const refreshKey = new TextEncoder().encode(``,
# ``private static final byte[] KEY = "``, ``self.signing_key = b"``, ``val key: Array[Byte] =``.
_BOUND_NAME = re.compile(
    r"(?<![\w$])(?:[\w$]+\.)*(?P<name>[A-Za-z_$][\w$]*)\s*(?::\s*[^=\n;'\"`]{1,60}?\s*)?"
    r"(?::=|\|\|=|\?\?=|=(?![=>~]))"
)
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_STATEMENT_END = (";", "{", "}")
_LINES_AROUND = 5  # a use's statement: at most this many lines before and after it
_USE_WINDOW = 6000  # characters after the binding where its uses are looked for
_MAX_USES = 24  # a key used more often than this has been judged by its first uses


@dataclass(frozen=True, slots=True)
class Use:
    """The strongest HMAC algorithm seen with a key, and the line (1-based) that says so;
    ``line`` is None when the key's own statement says it (``jwt.sign(p, '…', 'HS512')``)."""

    algorithm: str
    line: int | None = None


def named(code: str) -> str | None:
    """The strongest HMAC algorithm ``code`` names literally (HS256/HS384/HS512), if any."""
    found = [f"HS{m.group(1) or m.group(2)}" for m in _NAMED.finditer(code)]
    return max(found, key=BITS.__getitem__) if found else None


def key_algorithm(
    text: str,
    start: int,
    end: int,
    at_sink: str | None,
    named_at: dict[int, Use | None] | None = None,
) -> Use | None:
    """The algorithm the key at ``text[start:end]`` signs with: the strongest of the one at its
    sink (``at_sink``) and those of every statement that uses the name the key is bound to
    (``const ALG = 'HS512'`` resolved), so a verdict uses the algorithm actually in use.
    ``named_at``: the algorithm the statement at each use names, by offset, kept for the next
    key of the same text (values bound a thousand times in one file share their uses)."""
    best = Use(at_sink) if at_sink in BITS else None
    line_start = text.rfind("\n", 0, start) + 1
    bound = None
    for found in _BOUND_NAME.finditer(text, line_start, start):
        bound = found  # the last one: the name nearest the value
    if bound is None or "," in text[bound.end() : start]:
        return best  # none, or the value is another argument: token = jwt.encode(p, '…')
    name = bound.group("name")
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    # Uses after the binding, within a window: a key is used near where it is made, and a
    # large test file binding ``secret`` a hundred times must not be read a hundred times.
    uses = re.compile(rf"(?<![\w$'\"`]){re.escape(name)}(?![\w$'\"`])").finditer(
        text,
        line_start,
        min(len(text), line_start + _USE_WINDOW),
    )
    for count, use in enumerate(uses):
        if count >= _MAX_USES:
            break
        if line_start <= use.start() < line_end:
            continue  # the binding itself
        if named_at is not None and use.start() in named_at:
            stated = named_at[use.start()]
        else:
            window = _statement(text, use.start())
            algorithm = named(window) or _constant(window, text)
            stated = (
                None if algorithm is None else Use(algorithm, text.count("\n", 0, use.start()) + 1)
            )
            if named_at is not None:
                named_at[use.start()] = stated
        if stated is not None and (best is None or BITS[stated.algorithm] > BITS[best.algorithm]):
            best = stated
            if best.algorithm == "HS512":
                break  # none is stronger
    return best


def _statement(text: str, offset: int) -> str:
    """The lines of the statement around ``offset``: back to the line after one that ends a
    statement (``;``, ``{``, ``}``, a blank line), forward until the brackets opened close."""
    start = text.rfind("\n", 0, offset) + 1
    for _ in range(_LINES_AROUND):
        if start == 0:
            break
        previous = text.rfind("\n", 0, start - 1) + 1
        line = text[previous : start - 1].strip()
        if not line or line.endswith(_STATEMENT_END):
            break
        start = previous
    end = start
    depth = 0
    for _ in range(2 * _LINES_AROUND + 1):
        next_end = text.find("\n", end)
        next_end = len(text) if next_end == -1 else next_end + 1
        chunk = text[end:next_end]
        depth += sum(chunk.count(c) for c in "([{") - sum(chunk.count(c) for c in ")]}")
        end = next_end
        if end >= len(text) or (end > offset and depth <= 0):
            break
    return text[start:end]


def _constant(window: str, text: str) -> str | None:
    """The strongest algorithm among the names in ``window`` bound to one in ``text``:
    ``algorithm: REFRESH_ALG`` with ``const REFRESH_ALG = 'HS512'``."""
    found = []
    for name in dict.fromkeys(_IDENTIFIER.findall(window)):
        if "alg" not in name.lower() and "method" not in name.lower():
            continue
        if algorithm := _bound_algorithm(name, text):
            found.append(algorithm)
    return max(found, key=BITS.__getitem__) if found else None


@lru_cache(maxsize=64)
def _bound_algorithm(name: str, text: str) -> str | None:
    """The algorithm the first binding of ``name`` in ``text`` names, if any."""
    binding = re.search(
        rf"(?<![\w$]){re.escape(name)}\s*(?::\s*[^=\n;'\"`]{{1,40}}?\s*)?(?::=|=(?!=))\s*"
        r"(?P<value>[^\n;,)]{1,80})",
        text,
    )
    return named(binding.group("value")) if binding else None

"""A small JavaScript/TypeScript lexer: where string literals, comments and templates are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# After these tokens a '/' starts a regular expression, not a division.
_KEYWORDS = frozenset(
    {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw"}
    | {"yield", "await", "instanceof"}
)


@dataclass(frozen=True, slots=True)
class Lexed:
    """What patching needs to know about a file's JavaScript."""

    literals: Mapping[int, int]  # opening quote -> closing quote of plain literals in code
    comments: tuple[tuple[int, int], ...]
    templates: tuple[tuple[int, int], ...]  # template literals with substitutions, or tagged
    top_level: frozenset[int]  # offsets of the newlines that end a line at the top level
    brackets: Mapping[int, int]  # opening -> closing bracket, ( [ { of code

    def enclosing(self, position: int) -> list[int]:
        """The openings of the brackets around ``position``, outermost first."""
        return sorted(o for o, c in self.brackets.items() if o < position < c)


@dataclass(slots=True)
class _State:
    literals: dict[int, int]
    comments: list[tuple[int, int]]
    templates: list[tuple[int, int]]
    top_level: set[int]
    open_templates: list[tuple[int, int]]  # (bracket depth at '${', template start)
    brackets: dict[int, int]
    openings: list[int]
    depth: int = 0
    value: bool = False  # the previous token ends a value: a '/' now divides


def lex(text: str) -> Lexed:
    """Lex ``text`` once; unterminated strings end at the line, so errors stay local."""
    state = _State({}, [], [], set(), [], {}, [])
    i = _shebang(text)
    while i < len(text):
        i = _step(text, i, state)
    return Lexed(
        state.literals,
        tuple(state.comments),
        tuple(state.templates),
        frozenset(state.top_level),
        state.brackets,
    )


def _shebang(text: str) -> int:
    if not text.startswith("#!"):
        return 0
    end = text.find("\n")
    return len(text) if end == -1 else end


def _step(text: str, i: int, state: _State) -> int:
    char = text[i]
    if char == "\n" and state.depth == 0 and not state.open_templates:
        state.top_level.add(i)
    if char.isspace():
        return i + 1
    if char in "'\"":
        return _string(text, i, state)
    if char == "`":
        return _template(text, i, i + 1, state, resumed=False)
    if char == "/":
        return _slash(text, i, state)
    if char.isalnum() or char in "_$":
        return _word(text, i, state)
    if char == "}" and state.open_templates and state.depth - 1 == state.open_templates[-1][0]:
        state.depth -= 1
        return _template(text, state.open_templates.pop()[1], i + 1, state, resumed=True)
    if char in "([{":
        state.depth += 1
        state.openings.append(i)
    elif char in ")]}":
        state.depth = max(0, state.depth - 1)
        if state.openings:
            state.brackets[state.openings.pop()] = i
    state.value = char in ")]"
    return i + 1


def _string(text: str, i: int, state: _State) -> int:
    quote, j = text[i], i + 1
    while j < len(text) and text[j] not in (quote, "\n"):
        j += 2 if text[j] == "\\" else 1
    if j < len(text) and text[j] == quote and not state.open_templates:
        state.literals[i] = j
    state.value = True
    return j + 1


def _template(text: str, start: int, j: int, state: _State, *, resumed: bool) -> int:
    """Scan template text from ``j`` (after a backtick, or after the ``}`` of a substitution)."""
    plain = not resumed and not state.value  # no substitution so far, not a tagged template
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text[j] == "`":
            if plain and not state.open_templates:
                state.literals[start] = j
            else:
                state.templates.append((start, j + 1))
            state.value = True
            return j + 1
        elif text.startswith("${", j):
            state.open_templates.append((state.depth, start))
            state.depth += 1
            state.value = False
            return j + 2
        else:
            j += 1
    state.templates.append((start, len(text)))
    return len(text)


def _slash(text: str, i: int, state: _State) -> int:
    if text.startswith("//", i):
        end = text.find("\n", i)
        end = len(text) if end == -1 else end
    elif text.startswith("/*", i):
        end = text.find("*/", i + 2)
        end = len(text) if end == -1 else end + 2
    elif state.value:
        state.value = False
        return i + 1
    else:
        state.value = True
        return _regex(text, i)
    state.comments.append((i, end))
    return end


def _regex(text: str, i: int) -> int:
    j, in_class = i + 1, False
    while j < len(text) and text[j] != "\n":
        char = text[j]
        if char == "\\":
            j += 1
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            j += 1
            while j < len(text) and text[j].isalpha():
                j += 1
            return j
        j += 1
    return j


def _word(text: str, i: int, state: _State) -> int:
    j = i
    while j < len(text) and (text[j].isalnum() or text[j] in "_$"):
        j += 1
    state.value = text[i:j] not in _KEYWORDS
    return j

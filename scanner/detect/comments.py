"""Which parts of a source file are prose, not code: comments and docstrings.

A value in a comment or a docstring (a doctest's token, an example key in a Javadoc, a line of
code commented out) is documentation: the program never runs it. The lexers are deliberately
small and conservative: strings are matched first so that ``"http://x"`` or ``'# not a comment'``
is no comment, a string must close on its own line (backquoted ones aside) so that a stray quote
(a Rust lifetime, a JavaScript regex) cannot swallow the rest of the file, and a file that does
not lex (Python that does not tokenize) has no prose at all: when unsure, code.
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from collections.abc import Iterator, Sequence

from scanner.positions import Lines

Prose = tuple[int, int, str]  # start offset, end offset, what it is ("comment", "docstring")

_C_FAMILY = frozenset(
    {
        "js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "go", "java", "kt", "kts",
        "scala", "groovy", "gradle", "c", "h", "cc", "cpp", "hpp", "cs", "rs", "swift",
        "dart", "jsonc", "json5", "proto",
    }
)  # fmt: skip
_C_AND_HASH = frozenset({"php", "tf", "tfvars", "hcl"})
_HASH = frozenset(
    {
        "rb", "sh", "bash", "zsh", "yaml", "yml", "toml", "ini", "cfg", "conf", "properties",
        "env", "pl", "pm", "r", "ex", "exs", "cr", "nim", "ps1",
    }
)  # fmt: skip
_HASH_NAMES = frozenset({"Dockerfile", "Makefile", "Gemfile", "Rakefile", "Procfile", ".env"})
_PYTHON = frozenset({"py", "pyi", "pyw"})

_STRINGS = r""""(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
_SLASHES = r"(?P<line>//[^\n]*)|(?P<block>/\*.*?(?:\*/|\Z))"
# '#' opens a comment at a line start or after a blank, as in shell and YAML (a#b is a value).
_HASH_MARK = r"(?P<hash>(?:^|(?<=[ \t]))#[^\n]*)"
_LEXERS = {
    "c": re.compile(rf"{_SLASHES}|`(?:\\.|[^`\\])*`|{_STRINGS}", re.DOTALL),
    "c#": re.compile(rf"{_SLASHES}|{_HASH_MARK}|{_STRINGS}", re.DOTALL | re.MULTILINE),
    "#": re.compile(rf"{_HASH_MARK}|{_STRINGS}", re.MULTILINE),
}


def prose(path: str, text: str) -> tuple[Prose, ...]:
    """The comments and docstrings of the file at ``path``, in order; none for a language this
    does not know."""
    name = path.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""
    if extension in _PYTHON:
        return tuple(_python(text))
    if extension in _C_FAMILY:
        lexer = _LEXERS["c"]
    elif extension in _C_AND_HASH:
        lexer = _LEXERS["c#"]
    elif extension in _HASH or name in _HASH_NAMES or name.startswith(("Dockerfile", ".env")):
        lexer = _LEXERS["#"]
    else:
        return ()
    return tuple(
        (m.start(), m.end(), "comment") for m in lexer.finditer(text) if m.lastgroup is not None
    )


def _python(text: str) -> Iterator[Prose]:
    """Comments, and string statements (docstrings: a string that is a whole statement)."""
    lines = Lines(text)
    found: list[Prose] = []
    statement: list[tokenize.TokenInfo] = []  # the strings of a statement that is only strings
    previous = tokenize.NEWLINE
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = token.type
            if kind == tokenize.COMMENT:
                found.append((*_span(lines, token), "comment"))
                continue
            if kind == tokenize.NL:
                continue
            if kind == tokenize.STRING and (
                statement or previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
            ):
                statement.append(token)
            elif kind in (tokenize.NEWLINE, tokenize.ENDMARKER) and statement:
                found.extend((*_span(lines, s), "docstring") for s in statement)
                statement = []
            else:
                statement = []
            previous = kind
    except (tokenize.TokenError, SyntaxError):
        return iter(())  # does not lex: no prose, the values stay code
    return iter(sorted(found))


def _span(lines: Lines, token: tokenize.TokenInfo) -> tuple[int, int]:
    # tokenize counts columns in characters of the line, as Lines does (1-based there).
    (start_row, start_col), (end_row, end_col) = token.start, token.end
    return lines.offset(start_row, start_col + 1), lines.offset(end_row, end_col + 1)


def at(spans: Sequence[Prose], offset: int) -> str | None:
    """What prose ``offset`` lies in ("comment", "docstring"), or None: code."""
    index = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    if index >= 0 and spans[index][0] <= offset < spans[index][1]:
        return spans[index][2]
    return None

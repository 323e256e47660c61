"""JavaScript/TypeScript: hardcoded keys become ``requireEnv('NAME')``, which throws when unset."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from scanner.edits import (
    Edit,
    Outcome,
    Patched,
    Refused,
    Replaced,
    Secret,
    disjoint,
    insert_lines,
    line_of,
    line_starts,
)
from scanner.jslex import Lexed, lex

_HELPER = """\
// Read a secret from the environment; fail fast when it is missing.
function requireEnv(name{param}){returns} {{
  const value = process.env[name];
  if (!value) throw new Error(`${{name}} is not set`);
  return value;
}}"""
_DEFINED = re.compile(
    r"\bfunction\s+requireEnv\b|\bimport\b[^;]*\brequireEnv\b"
    r"|\b(?:const|let|var)\s+(?:requireEnv\b|\{[^}]*\brequireEnv\b)"
)
# process.env.NAME || 'literal', process.env['NAME'] ?? "literal": the fallback is the flaw.
_FALLBACK = re.compile(
    r"(?<![\w$.])process\.env(?:\.(?P<dot>[A-Za-z_][\w]*)|\[\s*(?P<q>['\"`])(?P<key>[A-Za-z_]\w*)"
    r"(?P=q)\s*\])!?\s*(?:\|\||\?\?)\s*\Z"
)
# Operators that bind tighter than || and ?? on either side: replacing the pair would regroup.
_TIGHTER_LEFT = re.compile(r"(?:[&|^+\-*/%~<!]|(?<!=)>|[=!<>]==?)\s*\Z")
_LOOSER_RIGHT = re.compile(r"[ \t]*(?:[,;)\]}:?\r\n]|\|\||//|/\*|\Z)")
_JSX_ATTRIBUTE = re.compile(r"<[A-Za-z][\w.:-]*(?:\s[^<>]*)?\s[\w:-]+=\Z")
_IMPORT = re.compile(
    r"(?:import[\s{*'\"]|export\s.*\sfrom\s*['\"]|\}\s*from\s*['\"]"
    r"|(?:const|let|var)\s.*=\s*require\(|\}\s*=\s*require\(|require\()"
)
_PROLOGUE = re.compile(r"\s*(?:$|//|/\*|\*|#!|(['\"])use [\w ]+\1;?\s*$)")
_WINDOW = 200


def patch(path: str, text: str, secrets: Sequence[Secret]) -> Patched:
    """Replace each secret's literal; add the ``requireEnv`` helper once when one is replaced."""
    lexed = lex(text)
    jsx = PurePosixPath(path).suffix.lower() in (".jsx", ".tsx")
    outcomes = disjoint([_replace(text, lexed, secret, jsx) for secret in secrets])
    if not any(isinstance(o, Replaced) for o in outcomes) or _DEFINED.search(text):
        return Patched(outcomes, None)
    typed = PurePosixPath(path).suffix.lower() in (".ts", ".tsx", ".mts", ".cts")
    helper = _HELPER.format(param=": string" if typed else "", returns=": string" if typed else "")
    return Patched(outcomes, insert_lines(text, _helper_line(text, lexed), helper))


def _replace(text: str, lexed: Lexed, secret: Secret, jsx: bool) -> Outcome:
    opening = secret.start - 1
    if lexed.literals.get(opening) != secret.end:
        return Refused(_why_not(lexed, opening))
    quote = '"' if text[opening] == '"' else "'"
    fallback = _FALLBACK.search(text, max(0, opening - _WINDOW), opening)
    if fallback is not None:
        return _replace_fallback(text, fallback, secret.end + 1, quote)
    call = f"requireEnv({quote}{secret.variable}{quote})"
    line_start = text.rfind("\n", 0, opening) + 1
    if jsx and _JSX_ATTRIBUTE.search(text, line_start, opening):
        call = f"{{{call}}}"
    return Replaced(Edit(opening, secret.end + 1, call), secret.variable)


def _replace_fallback(text: str, fallback: re.Match[str], end: int, quote: str) -> Outcome:
    name = fallback.group("dot") or fallback.group("key")
    left = _TIGHTER_LEFT.search(text, max(0, fallback.start() - 10), fallback.start())
    if left is not None or not _LOOSER_RIGHT.match(text, end):
        return Refused(f"the process.env.{name} fallback is part of a larger expression")
    return Replaced(Edit(fallback.start(), end, f"requireEnv({quote}{name}{quote})"), name)


def _why_not(lexed: Lexed, position: int) -> str:
    if any(start <= position < end for start, end in lexed.comments):
        return "in a comment"
    if any(start <= position < end for start, end in lexed.templates):
        return "inside a template literal"
    return "the key is not exactly one quoted string literal"


def _helper_line(text: str, lexed: Lexed) -> int:
    """0-based line after the last top-level import or require, else after the prologue."""
    starts = line_starts(text)
    lines = text.split("\n")
    ends = sorted(line_of(starts, newline) for newline in lexed.top_level)
    imports = [number for number in ends if _IMPORT.match(lines[number - 1])]
    if imports:
        return imports[-1]
    index = 0
    while index < len(lines) - 1 and (
        _PROLOGUE.match(lines[index]) or _in_comment(lexed, starts[index])
    ):
        index += 1
    return index


def _in_comment(lexed: Lexed, position: int) -> bool:
    return any(start < position < end for start, end in lexed.comments)

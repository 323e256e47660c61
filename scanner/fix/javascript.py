"""JavaScript/TypeScript: hardcoded keys become ``requireEnv('NAME')``, which throws when unset."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from scanner.fix.edits import (
    Edit,
    Patch,
    Patched,
    Refused,
    Replaced,
    Secret,
    disjoint,
    insert_lines,
)
from scanner.fix.jslex import Lexed, lex
from scanner.positions import Lines

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
# A property of an object literal: its key, just before its value.
_PROPERTY = re.compile(r"""(?<![\w$.])(?P<key>[A-Za-z_$][\w$]*|'[^'\n]*'|"[^"\n]*")\s*:\s*\Z""")
# The start of a module-level object declaration: export const jwtConstants = {
_DECLARATION = re.compile(
    r"(?:^|[;\n])[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+(?P<name>[A-Za-z_$][\w$]*)"
    r"(?:[ \t]*:[^=\n]+)?[ \t]*=[ \t]*\Z"
)
# NestJS: JwtModule.register({...}) runs while the modules are imported, before ConfigModule
# has loaded .env; registerAsync's factory runs when the module is initialised, after it.
_REGISTER = re.compile(r"(?<![\w$.])JwtModule\s*\.\s*register\s*\(")
_GLOBAL = re.compile(r"(?<![\w$.])global\s*:\s*true\b")


def registers(text: str) -> bool:
    """Does ``text`` call ``JwtModule.register``, which a lazy key may need deferred?"""
    return _REGISTER.search(text) is not None


def patch(
    path: str, text: str, secrets: Sequence[Secret], lazy: frozenset[str] = frozenset()
) -> Patched:
    """Replace each secret's literal; add the ``requireEnv`` helper once when one is replaced.

    A key in a module-level object (``export const jwtConstants = { secret: '...' }``) becomes
    a getter, read when used rather than when the module is imported; ``JwtModule.register``
    calls that read a replaced key or a ``lazy`` object become ``registerAsync`` factories.
    """
    lexed = lex(text)
    jsx = PurePosixPath(path).suffix.lower() in (".jsx", ".tsx")
    patches = disjoint([_replace(text, lexed, secret, jsx) for secret in secrets])
    made_lazy = frozenset(o.owner for o in patches if isinstance(o, Replaced) and o.owner)
    edits = [o.edit for o in patches if isinstance(o, Replaced)]
    deferred = _deferred_registrations(text, lexed, edits, lazy | made_lazy)
    if not edits or _DEFINED.search(text):
        return Patched(patches, None, deferred, made_lazy)
    typed = PurePosixPath(path).suffix.lower() in (".ts", ".tsx", ".mts", ".cts")
    helper = _HELPER.format(param=": string" if typed else "", returns=": string" if typed else "")
    header = insert_lines(text, _helper_line(text, lexed), helper)
    return Patched(patches, header, deferred, made_lazy)


def _replace(text: str, lexed: Lexed, secret: Secret, jsx: bool) -> Patch:
    opening = secret.start - 1
    if lexed.literals.get(opening) != secret.end:
        return Refused(_why_not(lexed, opening))
    quote = '"' if text[opening] == '"' else "'"
    fallback = _FALLBACK.search(text, max(0, opening - _WINDOW), opening)
    if fallback is not None:
        patch = _replace_fallback(text, fallback, secret.end + 1, quote)
    else:
        call = f"requireEnv({quote}{secret.variable}{quote})"
        line_start = text.rfind("\n", 0, opening) + 1
        if jsx and _JSX_ATTRIBUTE.search(text, line_start, opening):
            call = f"{{{call}}}"
        patch = Replaced(Edit(opening, secret.end + 1, call), secret.variable)
    return _lazily(text, lexed, patch) if isinstance(patch, Replaced) else patch


def _lazily(text: str, lexed: Lexed, replaced: Replaced) -> Replaced:
    """A getter when the value is a property of a module-level object, read at import time."""
    edit = replaced.edit
    prop = _PROPERTY.search(text, max(0, edit.start - _WINDOW), edit.start)
    owner = _module_object(text, lexed, edit.start)
    if prop is None or owner is None:
        return replaced
    getter = f"get {prop.group('key')}() {{ return {edit.new}; }}"
    return Replaced(Edit(prop.start(), edit.end, getter), replaced.variable, owner)


def _module_object(text: str, lexed: Lexed, position: int) -> str | None:
    """The name of the module-level object literal ``position`` is a property value of."""
    openings = lexed.enclosing(position)
    if not openings or any(text[o] != "{" for o in openings):
        return None
    for inner in openings[1:]:  # nested objects are properties themselves: jwt: { ... }
        if _PROPERTY.search(text, max(0, inner - _WINDOW), inner) is None:
            return None
    declared = _DECLARATION.search(text, max(0, openings[0] - _WINDOW), openings[0])
    return declared.group("name") if declared else None


def _deferred_registrations(
    text: str, lexed: Lexed, edits: Sequence[Edit], lazy: frozenset[str]
) -> tuple[Edit, ...]:
    """``JwtModule.register(options)`` -> ``JwtModule.registerAsync({ useFactory: () =>
    (options) })`` where the options read a replaced key or a lazy object's property."""
    reads = re.compile(rf"(?<![\w$.])(?:{'|'.join(map(re.escape, sorted(lazy)))})\s*\??\.")
    deferred: list[Edit] = []
    for call in _REGISTER.finditer(text):
        opening = call.end() - 1
        closing = lexed.brackets.get(opening)
        if closing is None or _in_comment(lexed, call.start()):
            continue
        options = text[opening + 1 : closing]
        if not any(opening < e.start < closing for e in edits) and not (
            lazy and reads.search(options)
        ):
            continue
        hoisted = "global: true, " if _GLOBAL.search(options) else ""
        factory = f"JwtModule.registerAsync({{ {hoisted}useFactory: () => ("
        deferred += [Edit(call.start(), call.end(), factory), Edit(closing, closing + 1, ") })")]
    return tuple(deferred)


def _replace_fallback(text: str, fallback: re.Match[str], end: int, quote: str) -> Patch:
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
    positions = Lines(text)
    lines = text.split("\n")
    ends = sorted(positions.line_of(newline) for newline in lexed.top_level)
    imports = [number for number in ends if _IMPORT.match(lines[number - 1])]
    if imports:
        return imports[-1]
    index = 0
    while index < len(lines) - 1 and (
        _PROLOGUE.match(lines[index]) or _in_comment(lexed, positions.starts[index])
    ):
        index += 1
    return index


def _in_comment(lexed: Lexed, position: int) -> bool:
    return any(start < position < end for start, end in lexed.comments)

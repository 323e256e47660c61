"""Python: hardcoded keys become ``os.environ["NAME"]``, a KeyError at import when unset."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

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
from scanner.positions import Lines

# os.getenv("NAME", "literal"), os.environ.get("NAME", default="literal"): the default is the flaw.
_FALLBACK = re.compile(
    r"(?<![\w.])(?P<call>(?:os\.)?(?:getenv|environ\.get))\(\s*(?:key\s*=\s*)?"
    r"(?P<q>[\"'])(?P<name>[A-Za-z_]\w*)(?P=q)\s*,\s*(?:default\s*=\s*)?\Z"
)
# env("NAME", default="literal") (django-environ), config(...) (python-decouple): drop the
# default and they raise when the variable is missing.
_CONFIG_DEFAULT = re.compile(
    r"(?<![\w.])(?P<call>config|env(?:\.str)?)\(\s*(?P<q>[\"'])(?P<name>[A-Za-z_]\w*)(?P=q)"
    r"\s*,\s*default\s*=\s*\Z"
)
_CLOSE = re.compile(r"\s*,?\s*\)")
_WINDOW = 200
_SKIPPED = frozenset({"NL", "COMMENT"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    start: int
    end: int
    text: str


def patch(path: str, text: str, secrets: Sequence[Secret]) -> Patched:
    """Replace each secret's literal; add ``import os`` when a replacement needs it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "\d" in a regex is the file's business, not ours
            tree = ast.parse(text)
        tokens = _tokens(text)
    except (SyntaxError, ValueError, tokenize.TokenError):
        return Patched(tuple(Refused("the file does not parse as Python") for _ in secrets), None)
    fields = _settings_fields(tree, Lines(text).starts, text)
    patches = disjoint([_replace(text, tokens, secret, fields) for secret in secrets])
    edits = [o.edit for o in patches if isinstance(o, Replaced)]
    if not any(e.new.startswith("os.") for e in edits):
        return Patched(patches, None)
    first = Lines(text).line_of(min(e.start for e in edits))
    if _binds_os(tree, first):
        return Patched(patches, None)
    return Patched(patches, _import_os(tree, text, first))


def _tokens(text: str) -> list[_Token]:
    starts = Lines(text).starts

    def position(row: int, column: int) -> int:
        return starts[row - 1] + column if row <= len(starts) else len(text)

    return [
        _Token(tokenize.tok_name[t.type], position(*t.start), position(*t.end), t.string)
        for t in tokenize.generate_tokens(io.StringIO(text).readline)
        if t.type != tokenize.ENDMARKER
    ]


def _replace(
    text: str, tokens: Sequence[_Token], secret: Secret, fields: Sequence[_Field]
) -> Patch:
    index = _literal(tokens, secret)
    if index is None:
        return Refused(_why_not(tokens, secret.start))
    token = tokens[index]
    field = next((f for f in fields if f.start <= token.start < f.end), None)
    if field is not None:
        return _required(field, token)
    prefix = text[token.start : secret.start - 1].lower()
    if "f" in prefix or _in_fstring(tokens, index):
        return Refused("inside an f-string")
    if _concatenated(tokens, index):
        return Refused("part of an implicit string concatenation")
    if not prefix:
        fallback = _fallback(text, token)
        if fallback is not None:
            return fallback
    encode = ".encode()" if "b" in prefix else ""
    lookup = f'os.environ["{secret.variable}"]{encode}'
    return Replaced(Edit(token.start, token.end, lookup), secret.variable)


def _fallback(text: str, token: _Token) -> Replaced | None:
    """The whole call when the literal is the default of an environment lookup."""
    close = _CLOSE.match(text, token.end)
    window = max(0, token.start - _WINDOW)
    if close is None:
        return None
    if found := _FALLBACK.search(text, window, token.start):
        lookup = "environ" if found.group("call") == "environ.get" else "os.environ"
        name = found.group("name")
        return Replaced(Edit(found.start(), close.end(), f'{lookup}["{name}"]'), name)
    if found := _CONFIG_DEFAULT.search(text, window, token.start):
        call, quote, name = found.group("call", "q", "name")
        return Replaced(Edit(found.start(), close.end(), f"{call}({quote}{name}{quote})"), name)
    return None


@dataclass(frozen=True, slots=True)
class _Field:
    """A field of a pydantic ``BaseSettings`` class that has a default."""

    start: int  # the default's span
    end: int
    keep: int  # where the field without its default ends (after the annotation)
    annotated: bool
    name: str  # what pydantic reads from the environment (env_prefix + name, or the alias)
    value: ast.expr


def _settings_fields(tree: ast.Module, starts: Sequence[int], text: str) -> list[_Field]:
    """The defaulted fields of every pydantic settings class: pydantic reads them from the
    environment (and the env_file it is given) itself, at instantiation."""

    def at(line: int | None, column: int | None) -> int:
        # ast columns count UTF-8 bytes
        head = text[starts[(line or 1) - 1] :].encode()[: column or 0]
        return starts[(line or 1) - 1] + len(head.decode(errors="ignore"))

    fields = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or not any(map(_is_settings, node.bases)):
            continue
        prefix = _env_prefix(node)
        for stmt in node.body:
            target: ast.expr | None = stmt.target if isinstance(stmt, ast.AnnAssign) else None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
            value = stmt.value if isinstance(stmt, (ast.AnnAssign, ast.Assign)) else None
            if not isinstance(target, ast.Name) or value is None or target.id == "model_config":
                continue
            annotation = stmt.annotation if isinstance(stmt, ast.AnnAssign) else target
            fields.append(
                _Field(
                    at(value.lineno, value.col_offset),
                    at(value.end_lineno, value.end_col_offset),
                    at(annotation.end_lineno, annotation.end_col_offset),
                    isinstance(stmt, ast.AnnAssign),
                    _alias(value) or f"{prefix}{target.id}".upper(),
                    value,
                )
            )
    return fields


def _is_settings(base: ast.expr) -> bool:
    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
    return isinstance(name, str) and name.endswith("BaseSettings")


def _env_prefix(node: ast.ClassDef) -> str:
    """``model_config = SettingsConfigDict(env_prefix=...)`` or ``class Config: env_prefix``."""
    for sub in ast.walk(node):
        found: ast.expr | None
        match sub:
            case ast.keyword(arg="env_prefix") | ast.Assign(targets=[ast.Name(id="env_prefix")]):
                found = sub.value
            case ast.Dict():
                found = dict(zip(map(_text, sub.keys), sub.values, strict=True)).get("env_prefix")
            case _:
                found = None
        if (prefix := _text(found)) is not None:
            return prefix
    return ""


def _alias(value: ast.expr) -> str | None:
    """``Field(..., alias="X")`` (or ``validation_alias``, pydantic 1's ``env``) names the
    variable itself, without the prefix."""
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg in ("alias", "validation_alias", "env") and _text(keyword.value):
                return _text(keyword.value)
    return None


def _text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _required(field: _Field, token: _Token) -> Patch:
    """The field without its default: pydantic then refuses to start when it is unset."""
    value = field.value
    if (field.start, field.end) == (token.start, token.end) or (
        isinstance(value, ast.Call) and _callee(value) == "SecretStr" and len(value.args) == 1
    ):
        if field.annotated:
            return Replaced(Edit(field.keep, field.end, ""), field.name)
        return Replaced(Edit(field.keep, field.end, ": str"), field.name)
    if isinstance(value, ast.Call) and _callee(value) == "Field":
        default = [*value.args[:1], *(k.value for k in value.keywords if k.arg == "default")]
        if any(isinstance(d, ast.Constant) and d.value == token.text[1:-1] for d in default):
            return Replaced(Edit(token.start, token.end, "..."), field.name)
    return Refused("a pydantic settings default inside an expression; make the field required")


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal(tokens: Sequence[_Token], secret: Secret) -> int | None:
    """The STRING token that is exactly ``prefix + quote + secret + quote``, quotes single."""
    opening = secret.start - 1
    for index, token in enumerate(tokens):
        if token.kind != "STRING" or token.end != secret.end + 1 or token.start > opening:
            continue
        prefix = token.text[: opening - token.start]
        quote = token.text[len(prefix)]
        triple = token.text[len(prefix) : len(prefix) + 3] == quote * 3
        exact = quote in "'\"" and token.text[-1] == quote and not triple
        return index if exact and (not prefix or prefix.isalpha()) else None
    return None


def _why_not(tokens: Sequence[_Token], position: int) -> str:
    around = next((t for t in tokens if t.start <= position < t.end), None)
    if around is not None and around.kind == "COMMENT":
        return "in a comment"
    if (around is not None and around.kind.startswith("FSTRING")) or _fstring_text(around):
        return "inside an f-string"
    return "the key is not exactly one quoted string literal"


def _fstring_text(token: _Token | None) -> bool:
    return token is not None and token.kind == "STRING" and "f" in _prefix(token.text).lower()


def _prefix(literal: str) -> str:
    return literal[: len(literal) - len(literal.lstrip("rRbBuUfF"))]


def _in_fstring(tokens: Sequence[_Token], index: int) -> bool:
    """Python 3.12 lexes f-strings into parts; a literal between them is in a replacement field."""
    depth = 0
    for token in tokens[:index]:
        depth += {"FSTRING_START": 1, "FSTRING_END": -1}.get(token.kind, 0)
    return depth > 0


def _concatenated(tokens: Sequence[_Token], index: int) -> bool:
    before = [t for t in tokens[:index] if t.kind not in _SKIPPED][-1:]
    after = [t for t in tokens[index + 1 :] if t.kind not in _SKIPPED][:1]
    return any(t.kind in ("STRING", "FSTRING_START", "FSTRING_END") for t in (*before, *after))


def _binds_os(tree: ast.Module, line: int) -> bool:
    """``import os`` (or ``import os.path``) at the top level, before ``line``."""
    return any(
        isinstance(node, ast.Import)
        and node.lineno < line
        and any(
            alias.asname == "os" or (alias.asname is None and alias.name.split(".")[0] == "os")
            for alias in node.names
        )
        for node in tree.body
    )


def _import_os(tree: ast.Module, text: str, first_use: int) -> Edit:
    """``import os`` before the first import, else after the docstring and ``__future__``."""
    body = list(tree.body)
    after = 0
    if body and _is_docstring(body[0]):
        after = body.pop(0).end_lineno or 0
    while body and isinstance(body[0], ast.ImportFrom) and body[0].module == "__future__":
        after = body.pop(0).end_lineno or 0
    first = next((n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))), None)
    if first is not None and first.lineno <= first_use:
        return insert_lines(text, first.lineno - 1, "import os", separate=False)
    if after == 0:
        lines = text.split("\n")
        while after < len(lines) - 1 and lines[after].strip()[:1] in ("", "#"):
            after += 1
    return insert_lines(text, after, "import os")


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )

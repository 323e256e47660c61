"""Names a file binds to a library: imports, requires and aliases, for rules' ``bind`` specs.

A rule names a library once (``modules: [jsonwebtoken]``, ``members: [sign, verify]``) and
writes ``(?&call)`` in its regex; per file, the placeholder becomes the alternation of the
conventional names (``jwt.sign``) and of every local name the file's imports bind to that
library or function (``const jsonwt = require('jsonwebtoken')``, ``import { sign as signToken }
from 'jsonwebtoken'``, ``import jwt as pyjwt``, ``jwtlib "github.com/golang-jwt/jwt/v5"``,
``import static io.jsonwebtoken.Jwts.builder``). Imports are read with regexes, one syntax
per language family; what they cannot see (a name passed through a function) stays unbound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from scanner.lazyre import LazyRegex

Syntax = Literal["javascript", "python", "go", "jvm", "php", "rust", "elixir", "csharp"]
SYNTAXES: tuple[Syntax, ...] = get_args(Syntax)

# What an import binds: the qualified name (``jsonwebtoken``, ``jsonwebtoken.sign``,
# ``github.com/golang-jwt/jwt``, ``Firebase\JWT\JWT``, ``jsonwebtoken::EncodingKey``) to the
# local names it goes by in the file. ``NAME.*`` (``import static a.B.*``, ``from jwt import *``,
# a Go dot import) binds every member of NAME under its own name.
Bound = Mapping[str, frozenset[str]]
PLACEHOLDER = re.compile(r"\(\?&([a-z][a-z0-9_]*)\)")
NAME = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")


@dataclass(frozen=True, slots=True)
class Binding:
    """One placeholder of a rule: ``(?&name)`` stands for a library's names in each file."""

    name: str
    syntax: Syntax
    modules: tuple[str, ...]  # as the language's imports spell them
    names: tuple[str, ...]  # conventional local names, matched in every file
    members: tuple[str, ...]  # empty: the placeholder is the module's name alone

    @property
    def separator(self) -> str:
        return "::" if self.syntax in ("php", "rust") else "."

    def locals(self, bound: Bound, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names beyond the conventional ones: (namespaces, bare member names)."""
        namespaces = sorted(
            {n for module in self.modules for n in bound.get(module, ())} - set(self.names)
        )
        bare: set[str] = set()
        for module in self.modules:
            for member in self.members:
                bare.update(bound.get(f"{module}{self.separator}{member}", ()))
            if self.members and f"{module}{self.separator}*" in bound:
                bare.update(self.members)
        # A function of the file's own with the same name is not the library's.
        return tuple(namespaces), tuple(sorted(n for n in bare if not _declared(n, text)))

    def regex(self, namespaces: tuple[str, ...] = (), bare: tuple[str, ...] = ()) -> str:
        """The placeholder's expansion; each alternative checks the character before it after
        matching (``jwt(?<![\\w$]jwt)``), so the regex still starts with plain literals."""
        spelled = "|".join(_delimited(n, r"[\w$]") for n in (*self.names, *namespaces))
        if not self.members:
            return f"(?:{spelled})"
        members = "|".join(re.escape(m) for m in self.members)
        qualified = f"(?:{spelled}){re.escape(self.separator)}(?:{members})"
        if not bare:
            return f"(?:{qualified})"
        called = "|".join(_delimited(n, r"[\w$.]") for n in bare)
        return f"(?:{qualified}|(?:{called})(?![\\w$]))"


def expand(
    pattern: str,
    bindings: tuple[Binding, ...],
    text: str | None = None,
    bound: Mapping[str, Bound] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """``pattern`` with each placeholder replaced, and the local names it added (to window
    around). Without ``bound``, the conventional names only: the rule as every file sees it."""
    added: list[str] = []
    for binding in bindings:
        if bound is None or text is None:
            replacement = binding.regex()
        else:
            namespaces, bare = binding.locals(bound[binding.syntax], text)
            added.extend((*namespaces, *bare))
            replacement = binding.regex(namespaces, bare)
        pattern = pattern.replace(f"(?&{binding.name})", replacement)
    return pattern, tuple(added)


def _delimited(name: str, before: str) -> str:
    escaped = re.escape(name)
    return f"{escaped}(?<!{before}{escaped})"


def _declared(name: str, text: str) -> bool:
    escaped = re.escape(name)
    return (
        re.search(
            rf"(?:\b(?:function\s*\*?|def|func|fn|fun)\s+{escaped}\s*[(<]"
            rf"|\b(?:const|let|var|val)\s+{escaped}\s*(?::[^=\n]{{1,80}})?="
            r"(?!=|\s*(?:await\s+)?(?:require|import)\s*\())",
            text,
        )
        is not None
    )


def imports(syntax: Syntax, text: str) -> Bound:
    """Every qualified name ``text``'s imports bind, with its local names."""
    found: dict[str, set[str]] = {}
    for qualified, local in _READERS[syntax](text):
        if qualified and local and local != "_":
            found.setdefault(qualified, set()).add(local)
    return {key: frozenset(value) for key, value in found.items()}


def _last(path: str, separator: str) -> str:
    return path.rsplit(separator, 1)[-1]


def _entries(listing: str) -> Iterator[tuple[str, str | None]]:
    """``a, b as c`` (or ``b: c``, ``b => c``) as (name, alias) pairs."""
    for entry in listing.split(","):
        words = re.match(r"\s*(?:type\s+)?([\w$.\\]+)(?:\s*(?:\bas\b|:|=>)\s*([\w$]+))?", entry)
        if words:
            yield words.group(1), words.group(2)


# JavaScript / TypeScript: import X, * as X, { a as b } from 'm'; import X = require('m');
# const X = require('m'), const { a, b: c } = require('m'), const X = require('m').a.
_JS_IMPORT = LazyRegex(
    r"""import(?<![\w$.]import)\s+(?:type\s+)?(?P<clause>[\w$*{][^'";]{0,600}?)\s*from\s*['"](?P<m>[^'"\n]+)['"]"""
)
_JS_REQUIRE = LazyRegex(
    r"""(?:const(?<![\w$]const)|let(?<![\w$]let)|var(?<![\w$]var)|import(?<![\w$]import))"""
    r"""\s+(?P<lhs>[\w$]+|\{(?:[^{}]|\{[^{}]*\}){0,600}\})\s*=\s*"""
    r"""(?:await\s+)?(?:require|import)\s*\(\s*['"](?P<m>[^'"\n]+)['"]\s*\)"""
    r"""(?P<prop>(?:\.[\w$]+)?)(?!\s*\()"""
)


def _javascript(text: str) -> Iterator[tuple[str, str]]:
    if "import" not in text and "require" not in text:
        return
    for found in _JS_IMPORT.finditer(text):
        module, clause = found.group("m"), found.group("clause")
        default = re.match(r"\s*([\w$]+)\s*(?:,|$)", clause)
        if default:
            yield module, default.group(1)
        namespace = re.search(r"\*\s*as\s+([\w$]+)", clause)
        if namespace:
            yield module, namespace.group(1)
        braces = re.search(r"\{([^{}]*)\}", clause)
        if braces:
            for name, alias in _entries(braces.group(1)):
                yield (module if name == "default" else f"{module}.{name}"), alias or name
    for found in _JS_REQUIRE.finditer(text) if "require" in text or "import(" in text else ():
        module, lhs, prop = found.group("m"), found.group("lhs"), found.group("prop")
        if prop and prop != ".default":
            module = f"{module}{prop}"
        if lhs.startswith("{"):
            for name, alias in _entries(re.sub(r"\{[^{}]*\}", "", lhs[1:-1])):
                yield f"{module}.{name}", alias or name
        else:
            yield module, lhs


# Python: import a.b as c, d; from a.b import (c as d, e).
_PY_IMPORT = LazyRegex(r"^[ \t]*import[ \t]+(?P<list>[\w., \t]+)", re.MULTILINE)
_PY_FROM = LazyRegex(
    r"^[ \t]*from[ \t]+(?P<m>[\w.]+)[ \t]+import[ \t]+(?P<list>\([^)]*\)|[^\n#;]+)", re.MULTILINE
)


def _python(text: str) -> Iterator[tuple[str, str]]:
    if "import" not in text:
        return
    for found in _PY_IMPORT.finditer(text):
        for name, alias in _entries(found.group("list")):
            if alias is None:  # import a.b binds a, and the code says a.b
                first = name.split(".", 1)[0]
                yield first, first
            yield name, alias or name
    for found in _PY_FROM.finditer(text):
        module = found.group("m")
        for name, alias in _entries(found.group("list").strip("() \t\n")):
            yield f"{module}.{name}", alias or name
        if found.group("list").strip() == "*":
            yield f"{module}.*", "*"


# Go: import alias "path", or the same lines in an import ( ... ) block. The package name of a
# path is its last element, without a /vN major-version suffix (which bindings also drop).
_GO_IMPORT = LazyRegex(r"\bimport\s*(?:\((?P<block>[^)]*)\)|(?P<one>[\w.]*\s*\"[^\"\n]+\"))")
_GO_SPEC = LazyRegex(r"(?:^|\n|;)\s*(?P<alias>[\w.]+)?\s*\"(?P<path>[^\"\n]+)\"")


def _go(text: str) -> Iterator[tuple[str, str]]:
    if "import" not in text:
        return
    for found in _GO_IMPORT.finditer(text):
        for spec in _GO_SPEC.finditer("\n" + (found.group("block") or found.group("one"))):
            path = re.sub(r"/v\d+$", "", spec.group("path"))
            alias = spec.group("alias")
            if alias == ".":
                yield f"{path}.*", "*"
            else:
                yield path, alias or _last(path, "/")


# Java, Kotlin, Scala, Groovy: import [static] a.b.C[.m | .*] [as D]; Scala import a.b.{C => D}.
_JVM_IMPORT = LazyRegex(
    r"^[ \t]*import[ \t]+(?:static[ \t]+)?(?P<path>[\w.`]+?)(?P<all>\.\*|\._)?"
    r"(?:[ \t]+as[ \t]+(?P<alias>\w+))?[ \t]*;?[ \t]*(?://[^\n]*)?$",
    re.MULTILINE,
)
_SCALA_GROUP = LazyRegex(r"^[ \t]*import[ \t]+(?P<path>[\w.]+)\.\{(?P<list>[^}]*)\}", re.MULTILINE)


def _jvm(text: str) -> Iterator[tuple[str, str]]:
    if "import" not in text:
        return
    for found in _JVM_IMPORT.finditer(text):
        path = found.group("path").replace("`", "")
        if found.group("all"):
            yield f"{path}.*", "*"
        else:
            yield path, found.group("alias") or _last(path, ".")
    for found in _SCALA_GROUP.finditer(text):
        for name, alias in _entries(found.group("list")):
            yield f"{found.group('path')}.{name}", alias or name


# PHP: use A\B\C [as D]; use A\B\{C, D as E};
_PHP_USE = LazyRegex(
    r"^[ \t]*use[ \t]+(?:function[ \t]+|const[ \t]+)?\\?(?P<path>[\w\\]+?)"
    r"(?:\\\{(?P<list>[^}]*)\}|[ \t]+as[ \t]+(?P<alias>\w+))?[ \t]*;",
    re.MULTILINE,
)


def _php(text: str) -> Iterator[tuple[str, str]]:
    if "use" not in text:
        return
    for found in _PHP_USE.finditer(text):
        path = found.group("path")
        if found.group("list") is not None:
            for name, alias in _entries(found.group("list")):
                yield f"{path}\\{name}", alias or _last(name, "\\")
        else:
            yield path, found.group("alias") or _last(path, "\\")


# Rust: use a::b::{c as d, e::{f, g}, self}; use a as b; use a::*;
_RUST_USE = LazyRegex(r"\buse[ \t]+(?:::)?(?P<tree>[\w:{}, \t\n*]+?)[ \t]*;")


def _rust(text: str) -> Iterator[tuple[str, str]]:
    if "use" not in text:
        return
    for found in _RUST_USE.finditer(text):
        yield from _rust_tree("", found.group("tree"))


def _rust_tree(prefix: str, tree: str) -> Iterator[tuple[str, str]]:
    tree = tree.strip()
    brace = tree.find("{")
    if brace != -1 and tree.endswith("}"):
        head = f"{prefix}{tree[:brace]}"
        depth, start = 0, brace + 1
        for index in range(brace + 1, len(tree)):
            character = tree[index]
            if character == "{":
                depth += 1
            elif character == "}" and depth:
                depth -= 1
            elif character in ",}" and not depth:
                part = tree[start:index].strip()
                if part == "self":
                    yield head.rstrip(":"), _last(head.rstrip(":"), "::")
                elif part:
                    yield from _rust_tree(head, part)
                start = index + 1
        return
    alias = re.fullmatch(r"([\w:*]+)(?:\s+as\s+(\w+))?", tree)
    if alias:
        path = f"{prefix}{alias.group(1)}"
        yield (path, "*") if path.endswith("*") else (path, alias.group(2) or _last(path, "::"))


# Elixir: alias A.B [, as: C]; alias A.{B, C}.
_EX_ALIAS = LazyRegex(
    r"\balias[ \t]+(?P<path>[A-Z][\w.]*?)"
    r"(?:\.\{(?P<list>[^}]*)\}|[ \t]*,[ \t]*as:[ \t]*(?P<alias>[A-Z]\w*))?[ \t]*$",
    re.MULTILINE,
)


def _elixir(text: str) -> Iterator[tuple[str, str]]:
    if "alias" not in text:
        return
    for found in _EX_ALIAS.finditer(text):
        path = found.group("path")
        if found.group("list") is not None:
            for name, _ in _entries(found.group("list")):
                yield f"{path}.{name}", _last(name, ".")
        else:
            yield path, found.group("alias") or _last(path, ".")


# C#: using X = A.B.C; using static A.B.C;
_CS_USING = LazyRegex(
    r"^[ \t]*(?:global[ \t]+)?using[ \t]+(?:(?P<static>static)[ \t]+(?P<spath>[\w.]+)"
    r"|(?P<alias>\w+)[ \t]*=[ \t]*(?P<path>[\w.]+))[ \t]*;",
    re.MULTILINE,
)


def _csharp(text: str) -> Iterator[tuple[str, str]]:
    if "using" not in text:
        return
    for found in _CS_USING.finditer(text):
        if found.group("static"):
            yield f"{found.group('spath')}.*", "*"
        else:
            yield found.group("path"), found.group("alias")


_READERS: dict[Syntax, Callable[[str], Iterator[tuple[str, str]]]] = {
    "javascript": _javascript,
    "python": _python,
    "go": _go,
    "jvm": _jvm,
    "php": _php,
    "rust": _rust,
    "elixir": _elixir,
    "csharp": _csharp,
}

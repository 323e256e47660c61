"""Cross-file resolution by name for Ruby, PHP, Java/Kotlin/Scala/Groovy, C# and Go.

These languages reach another file's constant without an import that names the file
(``Config::SECRET``, ``AuthConfig.SECRET`` in the same package, ``config.SigningKey`` through a
Go import path, ``$this->settings['jwt']['signing']`` filled by a framework). So a reference is
split into its name parts and resolved by its last name: every definition of that name in the
code of the repository (not tests, docs, examples or vendored code; the sink's own file always)
is a candidate, and the nearest scope wins (the sink's file; then a file whose class, module,
object, package or file name is one of the qualifiers; then the sink's folder; then anywhere).
The definitions in the winning scope must be exactly one, else nothing is guessed. A definition
reading the environment is one too: without a default it holds no key and blocks the name; its
default (``ENV.fetch('X', 'lit')``, ``getenv('X') ?: 'lit'``, a Go ``getEnv("X", fallback)``
helper) is the key. A Go struct field with a ``yaml``/``json``/``toml``/``mapstructure`` tag
names the key of a configuration file that holds the value.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from scanner.detect.engine import _assignment
from scanner.detect.fragments import splice

RUBY = (".rb", ".rake", ".ru")
PHP = (".php", ".phtml", ".inc")
JVM = (".java", ".kt", ".kts", ".scala", ".sc", ".groovy", ".gradle")
CSHARP = (".cs",)
GO = (".go",)
CONFIG_FILES = (".yaml", ".yml", ".json", ".toml")
_FAMILIES = (RUBY, PHP, JVM, CSHARP, GO)
# Names that are never another file's constant.
_NOT_NAMES = frozenset({"nil", "null", "true", "false", "None", "undefined", "it", "_"})
# Receivers of environment and request reads: $_ENV['JWT_SECRET'] names no constant.
_ENVIRONMENT = frozenset({"_ENV", "_SERVER", "_GET", "_POST", "_REQUEST", "ENV", "environ", "env"})


class Tree(Protocol):
    def read(self, path: str) -> str | None: ...

    def search(
        self, name: str, suffixes: tuple[str, ...], folder: str | None = None
    ) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal found for a reference: its span in ``text`` and the definition's span."""

    path: str
    text: str
    start: int
    end: int
    match_start: int
    match_end: int


def family(path: str) -> tuple[str, ...] | None:
    """The suffixes of the language of ``path``, when it is resolved by name."""
    lower = path.lower()
    return next((f for f in _FAMILIES if lower.endswith(f)), None)


def wanted(parts: Sequence[str], suffixes: tuple[str, ...]) -> bool:
    """Whether a reference is worth following to other files: a qualified name, a constant
    (``SECRET``) or, in Go, a name of the package (other files of the folder). A bare
    lower-case name elsewhere is a local variable or a parameter."""
    if not parts or parts[-1] in _NOT_NAMES or not _ENVIRONMENT.isdisjoint(parts):
        return False
    if len(parts) > 1 or suffixes is GO:
        return True
    return re.fullmatch(r"[A-Z][A-Z0-9_]*", parts[-1]) is not None


# --- Definitions ----------------------------------------------------------------------------

_Q = r"""(?P<q>["'`])(?P<secret>(?:\\.|(?!(?P=q))[^\\\n])*)(?P=q)"""
# What may come between an operator and a literal: a key wrapper, a string prefix, a cast.
_WRAP = splice(r"(?:(?&key_wrapper)|\((?:string|String)\)\s*|b|r|@|u8|\$)?")
_LITERAL_VALUE = re.compile(rf"\s*{_WRAP}{_Q}")
_ENV_READ = re.compile(
    r"""\s*(?:\[\]byte\(\s*)?(?:\(string\)\s*)?
    (?:ENV(?:\.fetch)?\s*[\[(]
      |\$_(?:ENV|SERVER)\s*\[
      |(?:os\.)?(?:Getenv|LookupEnv)\s*\(
      |System\.getenv\s*\(\s*\)\s*\.\s*(?:getOrDefault|get)\s*\(
      |System\.getenv\s*\(
      |(?:System\.)?Environment\.GetEnvironmentVariable\s*\(
      |sys\.env(?:\.get(?:OrElse)?\s*\(|\s*\()
      |(?:[A-Za-z_][\w.]*\.)?[A-Za-z_]*(?:env|Env|ENV)\w*\s*\()
    \s*(?P<q>["'])[^"'\n]*(?P=q)""",
    re.VERBOSE,
)
# After the variable's name: the default, as a second argument or after an or-else operator.
_DEFAULT = re.compile(
    r"""[ \t\])]*(?:,|\|\||\?:|\?\?|\bor\b|\)\s*\.\s*getOrElse\s*\(|\{)[ \t]*"""
    r"""(?:(?=["'])|(?P<ident>[A-Za-z_][\w.]*)\s*[)\]},;\n])"""
)
_IDENT_VALUE = re.compile(r"\s*(?P<ident>[A-Za-z_][\w.:]*)\s*(?:\.freeze\b\s*)?(?:[;,)\n]|$)")
_GO_TAG = re.compile(r"""\b(?:yaml|json|toml|mapstructure):"(?P<key>[\w.-]+)""")


@lru_cache(maxsize=256)
def _definition(name: str) -> re.Pattern[str]:
    n = re.escape(name)
    return re.compile(
        # SECRET = ..., val SECRET: String = ..., @secret ||= ..., const SECRET = ...,
        # string Secret { get; } = ... (C#)
        rf"(?<![\w.$>:])[$@]{{0,2}}{n}\s*(?::\s*[^=\n;:,(){{}}'\"`]{{1,60}}?\s*)?"
        r"(?:\{\s*get;[^}\n]*\}\s*)?(?P<op>:=|\|\|=|\?\?=|=(?![=>~]))"
        # 'secret' => ..., "secret" => ... (PHP arrays, Ruby hashes), :secret => ...
        rf"|(?P<kq>['\"]|:){n}['\"]?\s*(?P<kop>=>)"
        # Secret: ... (a Go composite literal, a Ruby hash, a Kotlin named argument)
        rf"|(?<![\w.$'\"?]){n}(?P<cop>:)(?!:)"
        # a Go struct field with a tag: Secret string `yaml:"secret"`
        rf"|^[ \t]*{n}[ \t]+[\w.\[\]*]+[ \t]+`(?P<tag>[^`\n]*)`",
        re.MULTILINE,
    )


@dataclass(frozen=True, slots=True)
class _Definition:
    path: str
    start: int
    literal: Literal | None  # None: a value that is no literal (the environment, a call)


def _definitions(
    path: str, text: str, name: str, parent: str | None, config: Callable[[str], Literal | None]
) -> list[_Definition]:
    found = []
    for match in _definition(name).finditer(text):
        if match.group("kop") is not None or match.group("cop") is not None:
            # A key of a nested array or hash: under the key the reference names before it.
            enclosing = _enclosing_key(text, match.start())
            if parent is not None and enclosing is not None and enclosing != parent:
                continue
        if match.group("tag") is not None:
            keys = [m.group("key") for m in _GO_TAG.finditer(match.group("tag"))]
            literal = next((lit for key in keys if (lit := config(key)) is not None), None)
            if keys:
                found.append(_Definition(path, match.start(), literal))
            continue
        found.append(_Definition(path, match.start(), _value(path, text, match.end())))
    return found


def _value(path: str, text: str, at: int, follow: bool = True) -> Literal | None:
    """The literal the value at ``at`` is, or defaults to; None when it holds none."""
    literal = _LITERAL_VALUE.match(text, at)
    if literal is not None:
        return Literal(path, text, *literal.span("secret"), at, literal.end())
    env = _ENV_READ.match(text, at)
    if env is not None:
        default = _DEFAULT.match(text, env.end())
        if default is None:
            return None  # read from the environment, no default: no key here
        if default.group("ident") is None:
            return _value(path, text, default.end(), follow=False)
        return _constant(path, text, default.group("ident")) if follow else None
    ident = _IDENT_VALUE.match(text, at)
    if ident is not None and follow:
        return _constant(path, text, ident.group("ident"))
    return None


def _constant(path: str, text: str, reference: str) -> Literal | None:
    """The literal a bare name (``defaultRefreshKey``, ``Config::SECRET``) is bound to in the
    same text, one step."""
    name = re.split(r"::|\.", reference)[-1]
    if not name or name in _NOT_NAMES:
        return None
    match = _assignment(name, False).search(text)
    if match is None:
        return None
    return Literal(path, text, *match.span("secret"), match.start(), match.end())


_OPEN = {"]": "[", ")": "(", "}": "{"}
_KEY_BEFORE = re.compile(
    r"""(?:['"](?P<k1>[\w.-]+)['"]\s*(?:=>|:)|(?P<k2>[A-Za-z_]\w*):|:(?P<k3>\w+)\s*=>)\s*(?:array\s*)?$"""
)


def _enclosing_key(text: str, at: int) -> str | None:
    """The key of the array or hash literal that holds position ``at`` (``'jwt' => [``)."""
    depth: list[str] = []
    i = at - 1
    limit = max(0, at - 20_000)
    while i >= limit:
        ch = text[i]
        if ch in _OPEN:
            depth.append(_OPEN[ch])
        elif ch in "[({":
            if depth:
                if depth.pop() != ch:
                    return None
            else:
                before = _KEY_BEFORE.search(text, max(0, i - 120), i)
                if before is None:
                    return None
                return before.group("k1") or before.group("k2") or before.group("k3")
        elif ch in "'\"":
            # skip back over a string literal on the same line
            j = text.rfind(ch, max(text.rfind("\n", 0, i), 0), i)
            if j != -1:
                i = j
        i -= 1
    return None


# --- Scopes -----------------------------------------------------------------------------------

_DECLARED = re.compile(
    r"\b(?:class|module|object|interface|struct|enum|trait|record|namespace|package)"
    r"\s+(?:[\w.]+[.\\])?(?P<name>[A-Za-z_]\w*)"
)


def _scope(path: str, text: str, qualifiers: Sequence[str], sink_path: str) -> int:
    """0: the sink's own file; 1: a file declaring or named after a qualifier; 2: the sink's
    folder; 3: anywhere else."""
    if path == sink_path:
        return 0
    wanted_names = {_norm(q) for q in qualifiers}
    stem = _norm(posixpath.basename(path).split(".", 1)[0])
    if wanted_names and (
        stem in wanted_names
        or any(_norm(m.group("name")) in wanted_names for m in _DECLARED.finditer(text))
    ):
        return 1
    if posixpath.dirname(path) == posixpath.dirname(sink_path):
        return 2
    return 3


def _norm(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


# --- Resolution -----------------------------------------------------------------------------


Search = tuple[str, tuple[str, ...], str | None]  # a name, the suffixes and the folder searched


def search_of(sink_path: str, parts: Sequence[str]) -> Search | None:
    """What :func:`resolve` searches the tree for: the last name, in files of the sink's
    language. A bare Go name is its own package's, and so is a member whose name is not
    exported (``slot.recvMACKey``: Go shows a name that does not start with a capital letter
    to its own package only): only in the sink's folder."""
    suffixes = family(sink_path)
    if suffixes is None or not parts:
        return None
    own_package = len(parts) == 1 or not parts[-1][:1].isupper()
    folder = posixpath.dirname(sink_path) if suffixes is GO and own_package else None
    return parts[-1], suffixes, folder


def resolve(
    sink_path: str,
    parts: Sequence[str],
    tree: Tree,
    skip: Callable[[str], bool],
) -> tuple[Literal, str] | None:
    """The literal the reference ``parts`` at a sink in ``sink_path`` names, and how it was
    found; None unless the nearest scope holds exactly one definition, and it a literal.
    ``skip``: paths whose definitions do not count (excluded, tests, docs...)."""
    search = search_of(sink_path, parts)
    if search is None:
        return None
    name, suffixes, folder = search
    qualifiers = tuple(parts[:-1])
    parent = qualifiers[-1] if qualifiers else None
    same_package_only = folder is not None

    def config(key: str) -> Literal | None:
        return _config_value(key, tree, skip)

    scoped: dict[int, list[_Definition]] = {}
    paths = dict.fromkeys([sink_path, *tree.search(name, suffixes, folder)])
    for path in paths:
        if path != sink_path and skip(path):
            continue
        if same_package_only and posixpath.dirname(path) != posixpath.dirname(sink_path):
            continue
        text = tree.read(path)
        if text is None:
            continue
        definitions = _definitions(path, text, name, parent, config)
        if suffixes is GO:
            definitions = [d for d in definitions if _go_declares(text, d, bool(qualifiers))]
        if definitions:
            scoped.setdefault(_scope(path, text, qualifiers, sink_path), []).extend(definitions)
    if not scoped:
        return None
    if min(scoped) > 1 and any(q[:1].isupper() for q in qualifiers):
        return None  # Jwt::KEY and no class Jwt in the repository: not another class's KEY
    best = scoped[min(scoped)]
    literals = {d.literal for d in best}
    if len(literals) != 1:
        return None
    (literal,) = literals
    if literal is None:
        return None
    return literal, _how(literal, sink_path, min(scoped))


def _how(literal: Literal, sink_path: str, scope: int) -> str:
    where = (
        "in the sink's own file"
        if scope == 0
        else "in the file the reference's qualifier names"
        if scope == 1
        else "in the sink's folder"
        if scope == 2
        else "in the repository's code"
    )
    config = (
        " (through a Go struct tag, to a configuration file)"
        if literal.path.endswith(CONFIG_FILES) and not sink_path.endswith(CONFIG_FILES)
        else ""
    )
    return f"resolved by name: the only definition {where}{config}"


def _go_declares(text: str, definition: _Definition, qualified: bool) -> bool:
    """In Go, ``name := ...`` declares a local variable, never a package's name or a field; a
    bare name (the same package) is a ``var`` or ``const`` at the top level or in its block."""
    line_start = text.rfind("\n", 0, definition.start) + 1
    line = text[line_start : text.find("\n", definition.start) % (len(text) + 1)]
    if re.match(r"[ \t]*[$@]{0,2}[A-Za-z_]\w*\s*:=", line):
        return False
    if qualified:
        return True
    if re.match(r"(?:var|const)[ \t]+[A-Za-z_]", line):
        return True
    if re.match(r"(?:\t(?!\t)|    (?! ))[A-Za-z_]", line) is None:
        return False
    # one level in: inside a var ( ... ) or const ( ... ) block, not a function body
    opener = max(text.rfind("\nvar (", 0, line_start), text.rfind("\nconst (", 0, line_start))
    return opener != -1 and re.search(r"\n[^\s)]", text[opener + 1 : line_start]) is None


_CONFIG_KEY = {
    "yaml": r"^[ \t]*(?:-[ \t]+)?['\"]?{k}['\"]?[ \t]*:[ \t]*",
    "json": r"\"{k}\"\s*:\s*",
    "toml": r"^[ \t]*['\"]?{k}['\"]?[ \t]*=[ \t]*",
}


def _config_value(key: str, tree: Tree, skip: Callable[[str], bool]) -> Literal | None:
    """The value of ``key`` in the one configuration file that sets it (YAML, JSON, TOML)."""
    found: list[Literal] = []
    for path in tree.search(key, CONFIG_FILES):
        if skip(path):
            continue
        text = tree.read(path)
        if text is None:
            continue
        kind = "json" if path.endswith(".json") else "toml" if path.endswith(".toml") else "yaml"
        lead = re.compile(_CONFIG_KEY[kind].format(k=re.escape(key)), re.MULTILINE)
        for match in lead.finditer(text):
            quoted = _LITERAL_VALUE.match(text, match.end())
            if quoted is not None:
                found.append(
                    Literal(path, text, *quoted.span("secret"), match.start(), quoted.end())
                )
            elif kind == "yaml":
                bare = re.compile(r"(?P<v>[^\s#'\"{}\[\]&*|>][^#\n]*?)[ \t]*(?:#.*)?$", re.M)
                value = bare.match(text, match.end())
                if value is not None:
                    found.append(Literal(path, text, *value.span("v"), match.start(), value.end()))
        if len(found) > 1:
            return None
    return found[0] if len(found) == 1 else None

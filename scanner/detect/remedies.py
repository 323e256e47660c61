"""Pure remediation: the fix for a finding in the language and framework of its file."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from scanner.findings import Fix

ROTATE = (
    "Rotate it: tokens signed with the committed key stay valid until the key is replaced, and "
    "rewriting git history does not revoke a key that was already cloned."
)

_EXTENSIONS = {
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".py": "python",
    ".java": "java",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".scala": "scala",
    ".sc": "scala",
    ".go": "go",
    ".rb": "ruby",
    ".php": "php",
    ".cs": "csharp",
    ".rs": "rust",
    ".ex": "elixir",
    ".exs": "elixir",
    ".properties": "spring",
    ".yml": "config",
    ".yaml": "config",
    ".json": "config",
    ".toml": "config",
    ".ini": "config",
    ".xml": "config",
    ".tf": "terraform",
    ".tfvars": "terraform",
    ".sh": "shell",
    ".env": "dotenv",
}

# Read the key from the environment and fail fast at start-up when it is missing.
_CODE = {
    "javascript": (
        "const {var} = process.env.{var}; if (!{var}) throw new Error('{var} is not set');"
    ),
    "typescript": (
        "const {var} = process.env.{var}; if (!{var}) throw new Error('{var} is not set');"
    ),
    "python": '{var} = os.environ["{var}"]  # KeyError at start-up when it is missing',
    "java": '@Value("${{{prop}}}") String secret;  // and {prop}=${{{var}}} with no default',
    "kotlin": 'val secret = System.getenv("{var}") ?: error("{var} is not set")',
    "scala": (
        'val secret = sys.env.getOrElse("{var}", '
        'throw new IllegalStateException("{var} is not set"))'
    ),
    "spring": "{prop}=${{{var}}}  # no default: Spring refuses to start when it is missing",
    "go": ('secret := os.Getenv("{var}"); if secret == "" {{ log.Fatal("{var} is not set") }}'),
    "ruby": 'secret = ENV.fetch("{var}")  # KeyError at boot when it is missing',
    "php": ("$secret = getenv('{var}') ?: throw new RuntimeException('{var} is not set');"),
    "laravel": "'secret' => env('{var}'),  // no default; check it in a service provider's boot()",
    "csharp": (
        'var key = builder.Configuration["{var}"] '
        '?? throw new InvalidOperationException("{var} is not set");'
    ),
    "rust": 'let secret = std::env::var("{var}").expect("{var} is not set");',
    "elixir": 'secret_key: System.fetch_env!("{var}")  # in config/runtime.exs',
    "dotenv": "{var}=  # in .env.example; the real value lives only in the ignored .env",
    "shell": ': "${{{var}:?{var} is not set}}"',
    "terraform": (
        'variable "{lower}" {{ type = string; sensitive = true }}  # no default; pass it via '
        "TF_VAR_{lower}"
    ),
    "config": "{var}: ${{{var}}}  # injected at deploy time from the secret store; no literal",
}

# A name that says it holds a key: JWT_SECRET, jwtSecret, jwt.secret, SECRET_KEY_BASE.
_NAME = re.compile(
    r"\b([A-Z][A-Z0-9]*_(?:[A-Z0-9]+_)*(?:SECRET|KEY|TOKEN)[A-Z0-9_]*)\b"
    r"|\b([a-z][a-zA-Z0-9]*(?:Secret|Key)[a-zA-Z0-9]*)\b"
    r"|\b((?:jwt|token|signing|session|app)[._-](?:secret|key)(?:[._-][a-z]+)?)\b",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# The opening quote of the value (and a Python string prefix): not part of any name.
_OPENING = re.compile(r"""(?:(?<![\w$])[rRbBuUfF]{1,2})?["'`]?\Z""")
# Lookups that name the setting before their fallback: os.getenv("NAME", "..."),
# config.get('jwt.secret', ...), define('NAME', ...), ${jwt.secret:...}, ${NAME:-...},
# process.env.NAME || ..., process.env['NAME'] ?? ..., getenv('NAME') ?: ...
_LOOKUP = re.compile(
    r"""(?:get|getenv|Getenv|env|config|fetch|define|getOrThrow|getOrDefault|getOrElse"""
    r"""|getProperty|getString|getValue|GetValue|str)(?:<\w+>)?"""
    r"""\(\s*(?:key\s*=\s*)?(?P<q>["'`])(?P<call>[A-Za-z_][\w.-]*)(?P=q)\s*,\s*"""
    r"""(?:default\s*=\s*)?\[?\s*\Z"""
    r"""|\$\{(?P<placeholder>[A-Za-z_][\w.-]*):-?\Z"""
    r"""|process\.env(?:\.(?P<dot>[A-Za-z_]\w*)|\[\s*["'`](?P<key>[A-Za-z_]\w*)["'`]\s*\])"""
    r"""!?\s*(?:\|\||\?\?)\s*\Z"""
    r"""|\(\s*["'`](?P<fetched>[A-Za-z_]\w*)["'`]\s*\)\s*(?:\?:|\|\||\?\?|\bor\b)\s*\Z"""
)
_NOT_BOUND = re.compile(r"\s*\(|.*,", re.DOTALL)
# The key a value is given to: secret: '...', "secret": "...", secret = '...', 'secret' => '...',
# jwt_secret: str = "...", keys: ['...'].
_KEY = re.compile(
    r"""(?:(?P<q>["'])(?P<quoted>[\w.$-]+)(?P=q)|(?<![\w$.])(?P<bare>[A-Za-z_$][\w$.-]*))"""
    r"""\s*(?::\s*[\w\[\], |.]+?\s*(?==))?(?:=>|:=|=|:)\s*\[?\s*\Z"""
)
# A parent that names the object a key is in: jwt: {, "jwt": {, export const jwtConstants = {.
_PARENT = re.compile(
    r"""(?:(?P<q>["'])(?P<quoted>[\w.$-]+)(?P=q)|(?<![\w$.])(?P<bare>[A-Za-z_$][\w$.-]*))"""
    r"""\s*(?::\s*[\w<>\[\], |.]+?\s*(?==))?(?:=>|=|:)\s*\Z"""
)
_YAML_PARENT = re.compile(
    r"""^(?P<indent>[ \t]*)(?:-[ \t]+)?["']?(?P<key>[\w.$-]+)["']?:[ \t]*(?:#.*)?$"""
)
_SECTION = re.compile(r"^\[+(?P<key>[\w.$-]+)\]+[ \t]*$")
_SIBLING = re.compile(
    r"""^[ \t]*(?:-[ \t]+)?["']?name["']?[ \t]*[:=][ \t]*["']?(?P<key>[A-Za-z_][\w.-]*)"""
)
# Words that alone do not say which key: a key made only of them takes its parent's name.
_GENERIC = frozenset(
    {"secret", "secrets", "key", "keys", "value", "password", "passphrase", "token"}
)
# Words that say nothing about the key in a parent's name (jwtConstants, authConfig).
_NOISE = frozenset(
    {"config", "configuration", "conf", "cfg", "settings", "setting", "options", "opts"}
    | {"constants", "constant", "consts", "env", "environment", "props", "properties", "params"}
    | {"values", "defaults", "default", "module", "exports", "export", "const", "let", "var"}
    | {"this", "self", "cls", "static", "final", "private", "public", "readonly"}
)
# Parameter names of JWT libraries (passport-jwt, jsonwebtoken) say nothing about the key.
_PARAMETERS = frozenset({"SECRET_OR_KEY", "SECRET_OR_PRIVATE_KEY", "SECRET_OR_PUBLIC_KEY"})
_VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]*")
# An environment variable a rule's advice names: process.env.JWT_SECRET, SESSION_SECRET.
_ADVISED = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:SECRET|KEY|JWK|TOKEN)(?:_[A-Z0-9]+)*\b")
# Where advice reads a variable from the environment (not a framework's own setting name):
# process.env.X, os.environ["X"], getenv('X'), ENV.fetch("X"), env('X'), ${X}, --name X.
_READS_ENV = re.compile(
    r"""(?:env\.|environ\[|ENV\[|\b(?:getenv|Getenv|fetch|fetch_env!|env|getOrThrow|get|var"""
    r"""|GetEnvironmentVariable)(?:<\w+>)?\(|\$\{|--name |TF_VAR_)\s*["'`]?\Z"""
)
# The fail-fast error that names the variable read: 'JWT_SECRET is not set', ${JWT_SECRET:?missing}.
_MISSING = re.compile(
    r"\s+(?:is\s+not\s+set|must\s+be\s+set|is\s+missing|is\s+required)|:\?|,required"
)
_LINE_WINDOW = 200  # how far back on its line a value's name is looked for
_WINDOW = 4000  # how far back a key's parents are looked for
_BRACKET = re.compile(r"[()\[\]{}]")
_ALPHANUMERIC = re.compile(r"[^a-z0-9]")
_DEPTH = 4


_JVM = ("java", "kotlin", "scala")


def language_of(path: str, declared: str | None) -> str:
    """The rule's declared language, else the file's by extension (``config`` by default)."""
    if declared:
        return declared.lower()
    name = PurePosixPath(path).name
    if name.startswith(".env") or name.endswith(".env"):
        return "dotenv"
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower(), "config")


def setting_name(text: str, start: int, end: int) -> str | None:
    """The code's own name for the setting whose value is ``text[start:end]``, upper snake case.

    The variable, key, property or configuration path the value is bound to (``JWT_SECRET``,
    ``jwtSecret``, ``jwt.secret``, ``jwt:`` / ``  secret:``), read only from the text before
    the value: a value never names itself. None when the code does not say, or when what it
    says spells the value (the same value earlier on the line).
    """
    name = _setting(text, start)
    value = _ALPHANUMERIC.sub("", text[start:end].lower())
    if name is not None and value and _ALPHANUMERIC.sub("", name.lower()) in value:
        return None
    return name


def _setting(text: str, start: int) -> str | None:
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    base = max(line_start, start - _LINE_WINDOW)
    before = text[base:start]
    opening = _OPENING.search(before)
    before = before[: opening.start() if opening else len(before)]
    if lookup := _LOOKUP.search(before):
        name = next(n for n in lookup.group("call", "placeholder", "dot", "key", "fetched") if n)
        return _upper_snake(name)
    # Not a function (hmacShaKeyFor(...)), nor a name the value is not given to: a comma
    # between them makes the value another argument (ACCESS_TOKEN = jwt.sign(payload, '...')).
    named = [m for m in _NAME.finditer(before) if not _NOT_BOUND.match(before, m.end())]
    if named and (name := _upper_snake(next(g for g in named[-1].groups() if g))):
        return name
    key = _KEY.search(before)
    if key is None:
        return None
    words = _words(key.group("quoted") or key.group("bare"))
    if set(words) <= _GENERIC:
        if words == ["value"] and (sibling := _sibling(text, line_start)):
            return _upper_snake(sibling)
        words = _parents(text, base + key.start()) + words
    return None if set(words) <= _GENERIC else _upper_snake("_".join(words))


def _words(name: str) -> list[str]:
    """The words of a name, lower case, without those that do not say what it holds."""
    split = re.split(r"[^A-Za-z0-9]+", _CAMEL.sub("_", name))
    return [w.lower() for w in split if w and w.lower() not in _NOISE]


def _upper_snake(name: str) -> str | None:
    variable = "_".join(w.upper() for w in _words(name))
    return variable if _VARIABLE.fullmatch(variable) and variable not in _PARAMETERS else None


def _parents(text: str, position: int) -> list[str]:
    """The informative words of the names of what encloses ``position``, outermost first."""
    words: list[str] = []
    for _ in range(_DEPTH):
        name = _enclosing(text, position)
        if name is None:
            break
        parent, position = name
        words = _words(parent) + words
        if not set(words) <= _GENERIC:
            break
    return words


def _enclosing(text: str, position: int) -> tuple[str, int] | None:
    """The name of the object or block around ``position``, and where that name starts."""
    opener = _unclosed(text, position)
    if opener is not None:
        if text[opener] == "(":
            return None  # an argument of a call: the call's own rule names it
        parent = _PARENT.search(text, max(0, opener - 200), opener)
        return (parent.group("quoted") or parent.group("bare"), parent.start()) if parent else None
    line_start = text.rfind("\n", 0, position) + 1
    indent = len(text[line_start:position]) - len(text[line_start:position].lstrip(" \t-"))
    lines = text[max(0, line_start - _WINDOW) : line_start].split("\n")
    offset = line_start
    for line in reversed(lines[:-1]):
        offset -= len(line) + 1
        if indent and (found := _YAML_PARENT.match(line)) and len(found.group("indent")) < indent:
            return found.group("key"), offset + found.start("key")
        if not indent and (section := _SECTION.match(line)):
            return section.group("key"), offset
        if line.lstrip().startswith("#"):
            continue
        if indent and line.strip() and len(line) - len(line.lstrip(" \t")) < indent:
            return None  # a less indented line that opens no block: no parent
    return None


def _unclosed(text: str, position: int) -> int | None:
    """The innermost bracket still open at ``position`` (within the window), if any."""
    closing = {")": "(", "]": "[", "}": "{"}
    pending: list[str] = []
    start = max(0, position - _WINDOW)
    for bracket in reversed(list(_BRACKET.finditer(text, start, position))):
        char = bracket.group()
        if char in closing:
            pending.append(closing[char])
        elif not pending:
            return bracket.start()
        elif pending.pop() != char:
            return None  # unbalanced: not code we can read
    return None


def _sibling(text: str, line_start: int) -> str | None:
    """``name: JWT_SECRET`` on one of the lines before a ``value:`` (Kubernetes env lists)."""
    lines = text[max(0, line_start - 400) : line_start].split("\n")[-4:-1]
    for line in reversed(lines):
        if found := _SIBLING.match(line):
            return found.group("key")
    return None


def advised_variable(rule_fix: str) -> str | None:
    """The environment variable a rule's advice reads first (``os.environ["JWT_SECRET"]``),
    else the first it names (``SESSION_SECRET``); None when it names none."""
    names = list(_ADVISED.finditer(rule_fix))
    read = next((m for m in names if _reads_env(rule_fix, m.start())), None)
    found = read or next(iter(names), None)
    return found.group() if found else None


def _reads_env(text: str, position: int) -> bool:
    return _READS_ENV.search(text, max(0, position - 40), position) is not None


def variable_name(rule_fix: str, setting: str | None) -> str:
    """The environment variable for a key: the setting's own name (:func:`setting_name`),
    else the one the rule's advice names, else ``JWT_SECRET``."""
    return setting or advised_variable(rule_fix) or "JWT_SECRET"


def secret_fix(
    rule_fix: str, path: str, language: str | None, framework: str | None, setting: str | None
) -> Fix:
    """The fix for a hardcoded key: the rule's advice, the fail-fast code, generate, rotate;
    one variable name in all of them."""
    variable = variable_name(rule_fix, setting)
    advised = advised_variable(rule_fix)
    summary = rule_fix if advised in (None, variable) else _renamed(rule_fix, advised, variable)
    lang = language_of(path, language)
    own = _EXTENSIONS.get(PurePosixPath(path).suffix.lower())
    if lang in _JVM and own in _JVM:
        lang = own  # a Java library's rule on Kotlin or Scala code: the fix in the file's language
    if framework and framework.lower() == "laravel":
        lang = "laravel"
    if lang == "java" and PurePosixPath(path).suffix in (".properties", ".yml", ".yaml"):
        lang = "spring"
    template = _CODE.get(lang, _CODE["config"])
    prop = variable.lower().replace("_", ".")
    code = template.format(var=variable, prop=prop, lower=variable.lower())
    command = f"jwtscan generate --env-file .env --name {variable}"
    return Fix(summary, code, command, ROTATE, variable)


def _renamed(advice: str, old: str, new: str) -> str:
    """``advice`` reading ``new`` wherever it read ``old`` from the environment."""

    def rename(match: re.Match[str]) -> str:
        named = _reads_env(advice, match.start()) or _MISSING.match(advice, match.end())
        return new if named else old

    return re.sub(rf"\b{old}\b", rename, advice)

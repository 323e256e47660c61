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

_NAME = re.compile(
    r"\b([A-Z][A-Z0-9]*_(?:[A-Z0-9]+_)*(?:SECRET|KEY|TOKEN)[A-Z0-9_]*)\b"
    r"|\b([a-z][a-zA-Z0-9]*(?:Secret|Key)[a-zA-Z0-9]*)\b"
    r"|\b((?:jwt|token|signing|session|app)[._-](?:secret|key)(?:[._-][a-z]+)?)\b",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def language_of(path: str, declared: str | None) -> str:
    """The rule's declared language, else the file's by extension (``config`` by default)."""
    if declared:
        return declared.lower()
    name = PurePosixPath(path).name
    if name.startswith(".env") or name.endswith(".env"):
        return "dotenv"
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower(), "config")


def bound_name(context: str) -> str | None:
    """The name a key is bound to in the code around it (``JWT_SECRET``), upper snake case."""
    match = _NAME.search(context)
    if match is None:
        return None
    name = next(group for group in match.groups() if group)
    if name.isupper():
        return name
    return re.sub(r"[^A-Za-z0-9]+", "_", _CAMEL.sub("_", name)).upper().strip("_")


def variable_name(context: str) -> str:
    """The environment variable a key should come from, named after the code around it."""
    return bound_name(context) or "JWT_SECRET"


def secret_fix(
    rule_fix: str, path: str, language: str | None, framework: str | None, context: str
) -> Fix:
    """The fix for a hardcoded key: the rule's advice, the fail-fast code, generate, rotate."""
    variable = variable_name(context)
    lang = language_of(path, language)
    if framework and framework.lower() == "laravel":
        lang = "laravel"
    if lang == "java" and PurePosixPath(path).suffix in (".properties", ".yml", ".yaml"):
        lang = "spring"
    template = _CODE.get(lang, _CODE["config"])
    prop = variable.lower().replace("_", ".")
    code = template.format(var=variable, prop=prop, lower=variable.lower())
    command = f"jwtscan generate --env-file .env --name {variable}"
    return Fix(rule_fix, code, command, ROTATE)

"""``.env`` files judged by their git state, as git itself reports it (never re-implemented)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from scanner.findings import Finding, FindingKind, Fix, Severity
from scanner.paths import is_template

EnvState = Literal["tracked", "staged", "unignored", "history-only"]

_NAME = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
# Names that say a value is a credential, and values long enough to be one (or a URL with a
# password): a .env holding neither holds plain settings (FOO=env, DEBUG=1).
_SECRET_NAME = re.compile(
    r"secret|key|token|pass|pwd|auth|cred|private|cert|salt|sign|session|cookie|dsn|api|jwt",
    re.IGNORECASE,
)
_PLAIN_VALUE_MAX = 15
_URL_PASSWORD = re.compile(r"://[^/\s:@]*:[^/\s@]+@")
_ENV_FILE = re.compile(r"(?:^|/)(?:\.env(?:\.[^/]+)?|[^/]+\.env|\.envrc)$")


@dataclass(frozen=True, slots=True)
class EnvFile:
    """A ``.env``-family file and the git state that makes it a risk."""

    path: str
    state: EnvState
    plain: bool = False  # holds plain settings only (see plain_settings)


def is_env_file(path: str) -> bool:
    """``.env``, ``.env.local``, ``.env.production``, ``prod.env``, ``.envrc``; not templates."""
    return bool(_ENV_FILE.search(path)) and not is_template(path)


def env_names(text: str) -> list[str]:
    """The variable names an env file assigns (``NAME=``, ``export NAME=``), in order."""
    return [m.group(1) for m in map(_NAME.match, text.splitlines()) if m]


def plain_settings(text: str) -> bool:
    """Only plain settings: some assignments, none under a credential name, none with a value
    long enough to be a key or a URL with a password. Comments and blank lines aside."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    assignments = [_ASSIGNMENT.match(line) for line in lines]
    if not lines or not all(assignments):
        return False
    pairs = [(m.group(1), m.group(2).strip("'\"")) for m in assignments if m]
    return not any(
        _SECRET_NAME.search(name) or len(value) > _PLAIN_VALUE_MAX or _URL_PASSWORD.search(value)
        for name, value in pairs
    )


_PLAIN: tuple[Severity, str] = (
    "low",
    "holds only plain settings (no credential names, no key-length values): still tracked",
)


_VERDICTS: dict[EnvState, tuple[FindingKind, Severity, str, str]] = {
    "tracked": (
        "env-file-tracked",
        "high",
        "tracked by git: everyone with a clone has its values, and .gitignore does not apply "
        "to tracked files",
        "Untrack it while keeping your local copy (git rm --cached {path}), ignore it "
        "(.gitignore: .env, .env.*, !.env.example), commit a .env.example with the names only, "
        "and rotate every secret it held. 'jwtscan fix env --apply' does the first three.",
    ),
    "staged": (
        "env-file-tracked",
        "high",
        "staged for commit: committing it puts its values in the history for good",
        "Unstage it (git restore --staged {path}), ignore it (.gitignore: .env, .env.*, "
        "!.env.example) and keep the names in a .env.example. 'jwtscan fix env --apply' does it.",
    ),
    "unignored": (
        "env-file-unignored",
        "medium",
        "not ignored by git: the next 'git add .' commits it",
        "Ignore it (.gitignore: .env, .env.*, !.env.example); 'jwtscan fix env --apply' adds "
        "the patterns.",
    ),
    "history-only": (
        "env-file-in-history",
        "high",
        "in the git history although gone from HEAD: every clone still has its values",
        "Rotate every secret it held: deleting the file, or rewriting history, does not revoke "
        "keys that were already cloned.",
    ),
}


def env_file_finding(item: EnvFile) -> Finding:
    """The file-level finding for a ``.env`` file in a risky git state (``line`` is None)."""
    kind, severity, why, fix = _VERDICTS[item.state]
    reasons: tuple[str, ...] = (why,)
    if item.plain:
        severity, plain = _PLAIN
        reasons = (why, plain)
    return Finding(
        rule_id=kind,
        kind=kind,
        severity=severity,
        path=item.path,
        line=None,
        column=None,
        end_line=None,
        end_column=None,
        secret="",
        message=f"Environment file {why}",
        reasons=reasons,
        remediation=Fix(fix.format(path=item.path)),
    )

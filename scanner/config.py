"""Project configuration, strictly validated and honoured by every mode (the hook included).

Found from the current directory upwards to the repository root: ``.jwtscan.yaml``,
``.jwtscan.toml``, or ``[tool.jwtscan]`` in ``pyproject.toml``; ``--config`` names one directly.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.errors import ScannerError
from scanner.findings import SEVERITIES, Severity

# yaml and tomllib are imported where a file of their kind is read: the hook starts faster.

FILENAMES = (".jwtscan.yaml", ".jwtscan.toml", "pyproject.toml")


class ConfigError(ScannerError):
    """The configuration file is invalid: the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Config:
    source: Path | None = None  # the file it came from; None for the defaults
    exclude: tuple[str, ...] = ()  # gitignore-style globs of paths never scanned
    rules: tuple[Path, ...] = ()  # extra rule files or folders
    disable: tuple[str, ...] = ()  # rule ids not to run
    allow: tuple[str, ...] = ()  # values never reported (test keys everyone knows)
    fail_on: Severity = "low"  # the lowest severity that fails the run (exit 1)
    max_file_size: int | None = None
    wordlists: tuple[Path, ...] = ()
    baseline: Path | None = None
    max_key_age: int | None = None


_LISTS = {"exclude", "rules", "disable", "allow", "wordlists"}
_KEYS = {*_LISTS, "fail-on", "max-file-size", "baseline", "max-key-age"}


def find_config(start: Path, root: Path | None) -> Path | None:
    """The nearest configuration file from ``start`` up to ``root`` (the repository root)."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    stop = root.resolve() if root is not None else None
    while True:
        for name in FILENAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        if stop is None or directory == stop or directory.parent == directory:
            return None
        directory = directory.parent


def _has_tool_table(path: Path) -> bool:
    # Most pyproject.toml files never mention jwtscan: no need to parse those.
    text = _read(path)
    return "jwtscan" in text and "jwtscan" in _toml(text, path).get("tool", {})


def load_config(path: Path | None) -> Config:
    """Parse and validate a configuration file; the defaults when ``path`` is None."""
    if path is None:
        return Config()
    if path.name.endswith((".yaml", ".yml")):
        import yaml

        try:
            document = yaml.safe_load(_read(path))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    else:
        document = _toml(_read(path), path)
        if path.name == "pyproject.toml":
            document = document.get("tool", {}).get("jwtscan", {})
    if document is None:
        return Config(source=path)
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: must be a mapping of settings")
    return _validate(document, path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _validate(document: dict[str, Any], path: Path) -> Config:
    unknown = sorted(map(str, set(document) - _KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}")
    for key in _LISTS & set(document):
        value = document[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{path}: '{key}' must be a list of non-empty strings")
    base = path.parent
    fail_on = document.get("fail-on", "low")
    if fail_on not in SEVERITIES:
        raise ConfigError(f"{path}: 'fail-on' must be one of {', '.join(SEVERITIES)}")
    for key in ("max-file-size", "max-key-age"):
        value = document.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            raise ConfigError(f"{path}: '{key}' must be a positive integer")
    baseline = document.get("baseline")
    if baseline is not None and (not isinstance(baseline, str) or not baseline):
        raise ConfigError(f"{path}: 'baseline' must be a path")
    return Config(
        source=path,
        exclude=tuple(document.get("exclude", ())),
        rules=tuple(base / p for p in document.get("rules", ())),
        disable=tuple(document.get("disable", ())),
        allow=tuple(document.get("allow", ())),
        fail_on=fail_on,
        max_file_size=document.get("max-file-size"),
        wordlists=tuple(base / p for p in document.get("wordlists", ())),
        baseline=None if baseline is None else base / baseline,
        max_key_age=document.get("max-key-age"),
    )

"""Project configuration, strictly validated and honoured by every mode (the hook included).

One configuration per repository, at its root: ``.jwtscan.yaml``, ``.jwtscan.toml``, or
``[tool.jwtscan]`` in ``pyproject.toml``; ``--config`` names one directly. A configuration file in
a subfolder is not used (and the run says so), so the results never depend on the directory
jwtscan runs from. Relative paths and globs in a file are relative to the file's folder.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scanner.errors import ScannerError, UsageError
from scanner.findings import CONTEXTS, SEVERITIES, Context, Severity

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
    # contexts that fail the run besides app and config (test, example, docs, vendor, generated)
    fail_contexts: tuple[Context, ...] = ()


_UNITS = {"max-file-size": " or a size like 512k, 10M"}
_LISTS = {"exclude", "rules", "disable", "allow", "wordlists", "fail-contexts"}
_KEYS = {*_LISTS, "fail-on", "max-file-size", "baseline", "max-key-age"}


def config_in(directory: Path) -> Path | None:
    """The configuration file of one folder, if it has one (the first of :data:`FILENAMES`)."""
    for name in FILENAMES:
        candidate = directory / name
        # Anything but a folder is a configuration, to be read or refused: a link to a device
        # or a dangling link is an error, not a silent fall-back to the defaults.
        present = (candidate.exists() or candidate.is_symlink()) and not candidate.is_dir()
        if present and (name != "pyproject.toml" or _has_tool_table(candidate)):
            return candidate
    return None


def unused_configs(start: Path, root: Path) -> tuple[Path, ...]:
    """Configuration files between ``start`` and ``root`` (excluded): never used, worth a word."""
    directory = (start if start.is_dir() else start.parent).resolve()
    found: list[Path] = []
    while directory != root.resolve() and root.resolve() in directory.parents:
        if (candidate := config_in(directory)) is not None:
            found.append(candidate)
        directory = directory.parent
    return tuple(found)


def parse_size(text: str) -> int:
    """A size in bytes: ``500000``, ``512k``, ``10M``, ``1G``; ValueError when it is not one."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    suffix = text[-1:].lower()
    try:
        value = int(text[:-1]) * units[suffix] if suffix in units else int(text)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (use 500000, 512k or 5M)") from None
    if value <= 0:
        raise ValueError("the size must be positive")
    return value


def scoped(pattern: str, folder: str) -> str:
    """A gitignore-style glob of a configuration file in ``folder`` (relative to the repository
    root, ``""`` for the root) as a glob relative to the root: ``tests/**`` in ``service/`` is
    ``service/tests/**``; ``vendor`` (any depth) is ``service/**/vendor``."""
    if not folder:
        return pattern
    anchored = "/" in pattern.rstrip("/")
    body = pattern.lstrip("/")
    return f"{folder}/{body}" if anchored else f"{folder}/**/{body}"


def _has_tool_table(path: Path) -> bool:
    # Most pyproject.toml files never mention jwtscan: no need to parse those.
    text = _read(path)
    return "jwtscan" in text and "jwtscan" in _toml(text, path).get("tool", {})


def load_config(path: Path | None, root: Path | None = None) -> Config:
    """Parse and validate a configuration file; the defaults when ``path`` is None. Its
    ``exclude`` globs are made relative to ``root`` (the repository root) from the file's folder."""
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
    config = _validate(document, path)
    folder = _folder(path, root)
    return replace(config, exclude=tuple(scoped(p, folder) for p in config.exclude))


def _folder(path: Path, root: Path | None) -> str:
    """The folder of ``path`` relative to ``root``; ``""`` at the root or outside it."""
    if root is None:
        return ""
    try:
        folder = path.resolve().parent.relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if folder == "." else folder


_MAX_BYTES = 16 * 1024 * 1024  # a configuration is a few lines


def _read(path: Path) -> str:
    """A configuration is repository content: a FIFO or /dev/zero in its place must not hang."""
    from scanner.files import read_regular

    try:
        return read_regular(path, "configuration", limit=_MAX_BYTES, errors="strict")
    except UsageError as exc:
        raise ConfigError(str(exc)) from None
    except UnicodeDecodeError as exc:
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
    size = document.get("max-file-size")
    if isinstance(size, str):
        try:
            size = parse_size(size)
        except ValueError as exc:
            raise ConfigError(f"{path}: 'max-file-size': {exc}") from None
    for key, value in (("max-file-size", size), ("max-key-age", document.get("max-key-age"))):
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            raise ConfigError(f"{path}: '{key}' must be a positive integer{_UNITS.get(key, '')}")
    fail_contexts = tuple(document.get("fail-contexts", ()))
    wrong = [c for c in fail_contexts if c not in CONTEXTS]
    if wrong:
        raise ConfigError(
            f"{path}: 'fail-contexts': unknown context(s) {', '.join(map(repr, wrong))}; "
            f"use {', '.join(CONTEXTS)}"
        )
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
        max_file_size=size,
        wordlists=tuple(base / p for p in document.get("wordlists", ())),
        baseline=None if baseline is None else base / baseline,
        max_key_age=document.get("max-key-age"),
        fail_contexts=fail_contexts,
    )

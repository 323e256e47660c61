"""Project configuration: ``.jwtscan.yaml`` at the root of the scanned tree, strictly validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from scanner.errors import ScannerError

FILENAME = ".jwtscan.yaml"
_KEYS = frozenset({"exclude"})


class ConfigError(ScannerError):
    """The configuration file is invalid: the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Config:
    exclude: tuple[str, ...] = ()  # gitignore-style globs of paths never scanned


def load_config(root: Path) -> Config:
    """The configuration in ``root``; the defaults when there is no file."""
    path = root / FILENAME
    if not path.is_file():
        return Config()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if document is None:
        return Config()
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: must be a mapping of settings")
    unknown = sorted(map(str, set(document) - _KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}")
    exclude = document.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) and e for e in exclude):
        raise ConfigError(f"{path}: 'exclude' must be a list of glob strings")
    return Config(exclude=tuple(exclude))

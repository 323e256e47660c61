"""The parts of a qualified reference as a sink writes it, in every language the rules read.

``Config::SECRET`` (Ruby, PHP), ``AuthConfig.SECRET`` (Java, Kotlin, Scala, C#, Go),
``$this->settings['jwt']['signing']`` (PHP), ``app.config['KEY']``, ``self::$key``,
``@@secret``: the names from the outermost scope to the value, without the receiver words that
name no scope (``this``, ``self``, ``static``) and without sigils.
"""

from __future__ import annotations

import re

_PART = re.compile(
    r"""\[\s*(?P<q>['"])(?P<key>[^'"\]\n]+)(?P=q)\s*\]|[$@]*(?P<name>[A-Za-z_]\w*)"""
)
_RECEIVERS = frozenset({"this", "self", "static", "parent"})


def name_parts(reference: str) -> tuple[str, ...]:
    """``('settings', 'jwt', 'signing')`` for ``$this->settings['jwt']['signing']``."""
    parts = [m.group("key") or m.group("name") for m in _PART.finditer(reference)]
    while len(parts) > 1 and parts[0] in _RECEIVERS:
        parts.pop(0)
    return tuple(parts)


def is_qualified(reference: str) -> bool:
    """Written with a scope operator or a subscript (``::``, ``->``, ``['key']``), which the
    same-file resolution of dotted names does not read."""
    return "::" in reference or "->" in reference or "[" in reference

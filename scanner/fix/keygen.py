"""New keys, and writing one into an env file without printing it."""

from __future__ import annotations

import base64
import re
import secrets
from pathlib import Path
from typing import Literal

from scanner.errors import UsageError
from scanner.files import read_regular, writable_target, write_atomic

KeyFormat = Literal["hex", "base64", "base64url"]
MIN_BYTES = 32  # RFC 7518 section 3.2: an HS256 key is at least 256 bits


def new_key(nbytes: int, form: KeyFormat, *, force: bool = False) -> str:
    """A key of ``nbytes`` random bytes from :mod:`secrets`, encoded as ``form``."""
    if nbytes < MIN_BYTES and not force:
        raise UsageError(
            f"{nbytes} bytes is {nbytes * 8} bits: RFC 7518 section 3.2 requires at least 256 "
            "bits for HS256 (384 for HS384, 512 for HS512); use --bytes 32 or more "
            "(or --force)"
        )
    if nbytes < 1:
        raise UsageError("--bytes must be positive")
    raw = secrets.token_bytes(nbytes)
    match form:
        case "hex":
            return raw.hex()
        case "base64":
            return base64.b64encode(raw).decode()
        case "base64url":
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LIMIT = 16 * 2**20  # bytes: an env file is small


def write_env(path: Path, name: str, value: str) -> bool:
    """Set ``name=value`` in the env file, replacing an existing assignment; True if it existed.

    The file is replaced atomically and keeps its permissions; a new file is owner-only (0600).
    Only a regular file (or a new one) is written: ``/dev/null`` stays a device.
    """
    if not _NAME.match(name):
        raise UsageError(f"{name!r} is not a valid environment variable name")
    assignment = re.compile(rf"^(\s*(?:export\s+)?){re.escape(name)}\s*=.*$")
    target = writable_target(path)
    current = (
        read_regular(target, "env file", limit=_LIMIT, errors="surrogateescape")
        if target.exists()
        else ""
    )
    lines = current.splitlines()
    replaced = False
    for index, line in enumerate(lines):
        match = assignment.match(line)
        if match:
            lines[index] = f"{match.group(1)}{name}={value}"
            replaced = True
    if not replaced:
        lines.append(f"{name}={value}")
    write_atomic(path, "\n".join(lines) + "\n", new_mode=0o600)
    return replaced

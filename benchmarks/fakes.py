"""Fake secrets generated from a seeded random source, so the repository holds none.

Corpus and fixture files write ``{{fake:CHARSET:LEN}}`` (CHARSET: hex, alnum, b64, b64url),
``{{fake:CHARSET:LEN:NAME}}`` (the same value wherever NAME recurs) and ``{{fake:pem:TYPE}}``
(TYPE: rsa, ec, pkcs8, encrypted, openssh; the marker stands alone on its line).
"""

from __future__ import annotations

import random
import re
import shutil
import string
from pathlib import Path

MARKER = re.compile(
    r"\{\{fake:(?:(?P<charset>hex|alnum|b64|b64url):(?P<length>\d+)(?::(?P<name>[\w.-]+))?"
    r"|pem:(?P<pem>rsa|ec|pkcs8|encrypted|openssh))\}\}"
)
_ALPHABETS = {
    "hex": "0123456789abcdef",
    "alnum": string.ascii_letters + string.digits,
    "b64": string.ascii_letters + string.digits + "+/",
    "b64url": string.ascii_letters + string.digits + "-_",
}
_PEM = {
    "rsa": ("RSA PRIVATE KEY", 25),
    "ec": ("EC PRIVATE KEY", 3),
    "pkcs8": ("PRIVATE KEY", 26),
    "encrypted": ("ENCRYPTED PRIVATE KEY", 27),
    "openssh": ("OPENSSH PRIVATE KEY", 6),
}
SEED = "jwtscan-fakes-v1"


def fake_value(charset: str, length: int, seed: str) -> str:
    rng = random.Random(f"{SEED}:{seed}")
    return "".join(rng.choice(_ALPHABETS[charset]) for _ in range(length))


def fake_pem(kind: str, seed: str, indent: str = "") -> str:
    label, rows = _PEM[kind]
    body = [fake_value("b64", 64, f"{seed}:{row}") for row in range(rows)]
    lines = [f"-----BEGIN {label}-----", *body, f"-----END {label}-----"]
    return f"\n{indent}".join(lines)


def expand(text: str, seed: str) -> str:
    """Replace every marker in ``text``; ``seed`` (usually the file path) keeps values stable."""
    counter = iter(range(1_000_000))

    def replace(match: re.Match[str]) -> str:
        index = next(counter)
        if match.group("pem"):
            line_start = text.rfind("\n", 0, match.start()) + 1
            prefix = text[line_start : match.start()]
            indent = prefix if not prefix.strip() else ""
            return fake_pem(match.group("pem"), f"{seed}#{index}", indent)
        name = match.group("name")
        key = f"name:{name}" if name else f"{seed}#{index}"
        return fake_value(match.group("charset"), int(match.group("length")), key)

    return MARKER.sub(replace, text)


def materialize(source: Path, destination: Path) -> None:
    """Copy a corpus or fixture tree with every marker replaced by its fake value."""
    for file in sorted(source.rglob("*")):
        target = destination / file.relative_to(source)
        if file.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            shutil.copyfile(file, target)
            continue
        relative = file.relative_to(source).as_posix()
        target.write_text(expand(text, relative), encoding="utf-8")

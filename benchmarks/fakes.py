"""Fake secrets generated from a seeded random source, so the repository holds none.

Corpus and fixture files write ``{{fake:CHARSET:LEN}}`` (CHARSET: hex, alnum, b64, b64url),
``{{fake:CHARSET:LEN:NAME}}`` (the same value wherever NAME recurs) and ``{{fake:pem:TYPE}}``
(TYPE: rsa, ec, pkcs8, encrypted, openssh; the marker stands alone on its line) and
``{{fake:der:TYPE}}`` (TYPE: pkcs8, rsa, ec, spki): one line of base64 DER with the structure of
a private key (PKCS#8, PKCS#1, SEC1) or of a public key (SubjectPublicKeyInfo), random inside.
"""

from __future__ import annotations

import base64
import random
import re
import shutil
import string
from pathlib import Path

MARKER = re.compile(
    r"\{\{fake:(?:(?P<charset>hex|alnum|b64|b64url):(?P<length>\d+)(?::(?P<name>[\w.-]+))?"
    r"|pem:(?P<pem>rsa|ec|pkcs8|encrypted|openssh)|der:(?P<der>pkcs8|rsa|ec|spki))\}\}"
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


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        head = bytes([size])
    else:
        count = (size.bit_length() + 7) // 8
        head = bytes([0x80 | count]) + size.to_bytes(count, "big")
    return bytes([tag]) + head + body


def _integer(rng: random.Random, size: int) -> bytes:
    return _tlv(0x02, bytes([0, *(rng.randrange(256) for _ in range(size - 1))]))


_RSA_OID = bytes.fromhex("06092a864886f70d0101010500")
_EC_OID = bytes.fromhex("06072a8648ce3d020106082a8648ce3d030107")


def fake_der(kind: str, seed: str) -> str:
    """Base64 DER shaped like a key of ``kind`` (see the module docstring), random inside."""
    rng = random.Random(f"{SEED}:der:{seed}")
    sizes = (129, 4, 129, 65, 65, 65, 65, 65)  # n, e, d, p, q, dp, dq, qinv
    pkcs1 = _tlv(0x30, _tlv(0x02, b"\x00") + b"".join(_integer(rng, n) for n in sizes))
    scalar = bytes(rng.randrange(256) for _ in range(32))
    der = {
        "rsa": pkcs1,
        "pkcs8": _tlv(0x30, _tlv(0x02, b"\x00") + _tlv(0x30, _RSA_OID) + _tlv(0x04, pkcs1)),
        "ec": _tlv(
            0x30,
            _tlv(0x02, b"\x01")
            + _tlv(0x04, scalar)
            + _tlv(0xA0, _EC_OID[9:])
            + _tlv(0xA1, _tlv(0x03, b"\x00\x04" + bytes(rng.randrange(256) for _ in range(64)))),
        ),
        "spki": _tlv(
            0x30,
            _tlv(0x30, _RSA_OID)
            + _tlv(0x03, b"\x00" + _tlv(0x30, _integer(rng, 257) + _integer(rng, 4))),
        ),
    }[kind]
    return base64.b64encode(der).decode()


def expand(text: str, seed: str) -> str:
    """Replace every marker in ``text``; ``seed`` (usually the file path) keeps values stable."""
    counter = iter(range(1_000_000))

    def replace(match: re.Match[str]) -> str:
        index = next(counter)
        if match.group("der"):
            return fake_der(match.group("der"), f"{seed}#{index}")
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

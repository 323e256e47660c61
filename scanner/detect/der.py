"""Pure: is a base64 string an unencrypted private key in DER (PKCS#8, PKCS#1 or SEC1)?

A private key pasted without its PEM armour (``MIIEvQIBADAN...`` in YAML, HOCON, ``.env``) is
told from a certificate or a public key by its structure, cheaply and exactly: the outer
SEQUENCE must span the whole value and open with a version INTEGER, which neither a
certificate (a SEQUENCE first) nor a SubjectPublicKeyInfo (an AlgorithmIdentifier first) does.
"""

from __future__ import annotations

import base64
import binascii

_SEQUENCE, _INTEGER, _OCTET_STRING, _OID = 0x30, 0x02, 0x04, 0x06
_MAX_BYTES = 16 * 1024
_SLACK = 2  # trailing bytes tolerated after the outer SEQUENCE


def _element(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(tag, start of content, end of content) of the DER element at ``at``, or None."""
    if at + 2 > len(data):
        return None
    tag, first = data[at], data[at + 1]
    at += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if not 1 <= count <= 3 or at + count > len(data) or data[at] == 0:
            return None  # indefinite, oversized or non-minimal: not DER
        length = int.from_bytes(data[at : at + count], "big")
        if length < 0x80:
            return None
        at += count
    end = at + length
    return (tag, at, end) if end <= len(data) else None


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]] | None:
    """The elements that exactly fill ``data[start:end]``, or None."""
    found = []
    while start < end:
        element = _element(data[:end], start)
        if element is None:
            return None
        found.append(element)
        start = element[2]
    return found


def _small_integer(data: bytes, element: tuple[int, int, int], *values: int) -> bool:
    tag, start, end = element
    return tag == _INTEGER and end - start == 1 and data[start] in values


def is_der_private_key(value: str) -> bool:
    """``value`` is standard or URL-safe base64 of an unencrypted DER private key."""
    text = "".join(value.split()).replace("\\n", "")
    if len(text) > _MAX_BYTES * 4 // 3 + 4:
        return False
    text = text.replace("-", "+").replace("_", "/")
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    # A value pasted with one or two characters too many (a lost "=" and the newline's stray
    # character) decodes to a byte or two past the key: the SEQUENCE still says where it ends.
    # Anything shorter than the SEQUENCE (a truncated sample) is no key.
    outer = _element(data, 0)
    if outer is None or outer[0] != _SEQUENCE or not 0 <= len(data) - outer[2] <= _SLACK:
        return False
    data = data[: outer[2]]
    items = _children(data, outer[1], outer[2])
    if not items or len(items) < 2:
        return False
    if _small_integer(data, items[0], 0, 1) and len(items) >= 3:
        # PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier (an OID first), OCTET STRING key
        algorithm, key = items[1], items[2]
        if algorithm[0] == _SEQUENCE and key[0] == _OCTET_STRING and key[2] > key[1]:
            inner = _children(data, algorithm[1], algorithm[2])
            if inner and inner[0][0] == _OID:
                return True
    if _small_integer(data, items[0], 0) and len(items) >= 9:
        # PKCS#1 RSAPrivateKey: version 0, then n, e, d, p, q, dp, dq, qinv
        return all(item[0] == _INTEGER for item in items[1:9])
    # SEC1 ECPrivateKey: version 1, the private scalar as an OCTET STRING
    return (
        _small_integer(data, items[0], 1)
        and items[1][0] == _OCTET_STRING
        and 16 <= items[1][2] - items[1][1] <= 72
    )

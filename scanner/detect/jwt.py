"""Pure JWT handling: parse compact tokens, describe their claims, verify HS* offline."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
_DAY = 86_400
_FAR_FUTURE = 365 * _DAY
_LONG_EXPIRED = 30 * _DAY
_WRAPPED_PREFIX = "ZXlK"  # base64 of "eyJ": a token that was base64-encoded once more
_COMPACT = re.compile(r"[A-Za-z0-9_\-.=]+")  # base64url parts and dots, nothing else
_REAL_LOOKING = 16  # payload and signature this long: a damaged real token, not a doc stub

TokenForm = Literal["jws", "jwe"]


@dataclass(frozen=True, slots=True)
class Token:
    """A decoded compact token. ``claims`` is empty for JWE (the payload is encrypted)."""

    raw: str  # the compact serialisation (unwrapped when it was base64-wrapped)
    form: TokenForm
    header: Mapping[str, object]
    claims: Mapping[str, object]
    signing_input: bytes
    signature: bytes
    malformed: bool = False  # the header is a real JOSE header but the rest does not decode

    @property
    def alg(self) -> str:
        value = self.header.get("alg")
        return value if isinstance(value, str) else ""

    @property
    def unsigned(self) -> bool:
        return self.form == "jws" and self.alg.lower() == "none"

    @property
    def crackable(self) -> bool:
        return self.form == "jws" and self.alg in HASHES and bool(self.signature)


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


_NOT_AN_OBJECT: dict[str, object] = {}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_object(part: str) -> dict[str, object] | None:
    """The JSON object ``part`` encodes; ``_NOT_AN_OBJECT`` for other JSON (a JWS payload may
    be anything); None when it is not base64 of JSON."""
    try:
        value = _clean(json.loads(_b64decode(part)))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else _NOT_AN_OBJECT


def _clean(value: object) -> object:
    """JSON with every string printable: a lone surrogate (``"\\ud800"``) becomes U+FFFD."""
    match value:
        case str():
            return _SURROGATE.sub("\ufffd", value)
        case list():
            return [_clean(item) for item in value]
        case dict():
            return {_clean(k): _clean(v) for k, v in value.items()}
        case _:
            return value


# RFC 7518 sections 5.2 and 5.3: every JWE content encryption uses a 96 or 128-bit IV and
# a 128-bit (or longer) authentication tag.
_JWE_IV_BYTES = 12
_JWE_TAG_BYTES = 16


def _encrypted(parts: list[str]) -> bool:
    """A JWE's IV, ciphertext and tag are there and as long as every algorithm makes them."""
    try:
        iv, ciphertext, tag = (_b64decode(p) for p in parts[2:5])
    except (ValueError, binascii.Error):
        return False
    return len(iv) >= _JWE_IV_BYTES and bool(ciphertext) and len(tag) >= _JWE_TAG_BYTES


def parse(text: str) -> Token | None:
    """The token in ``text``, or None when it does not decode to a JSON header with ``alg``.

    Accepts JWS (three parts, the signature may be empty), JWE (five parts) and a token that
    was base64-encoded once more (``ZXlK...``).
    """
    text = text.strip()
    if text.startswith(_WRAPPED_PREFIX):
        try:
            text = base64.b64decode(text + "=" * (-len(text) % 4), validate=False).decode("ascii")
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
    parts = text.split(".")
    if len(parts) not in (3, 5) or len(text) > 65_536 or not _COMPACT.fullmatch(text):
        return None
    header = _json_object(parts[0])
    if header is None or header is _NOT_AN_OBJECT or not isinstance(header.get("alg"), str):
        return None
    if len(parts) == 5:
        if not _encrypted(parts):
            return None  # a JWE-shaped parse vector (eyJ...fQ.dGVzdA.dGVzdA...): no ciphertext
        return Token(text, "jwe", header, {}, b"", b"")
    claims = _json_object(parts[1])
    try:
        signature = _b64decode(parts[2])
    except (ValueError, binascii.Error):
        signature = b""
        claims = None
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    if claims is None:
        if len(parts[1]) < _REAL_LOOKING or len(parts[2]) < _REAL_LOOKING:
            return None  # a truncated example ("eyJhbGci...") in documentation
        return Token(text, "jws", header, {}, signing_input, b"", malformed=True)
    return Token(text, "jws", header, claims, signing_input, signature)


def crack(token: Token, candidates: Iterable[bytes]) -> bytes | None:
    """The first candidate key that verifies ``token``, or None."""
    return KeyRing(candidates).find(token)


class _Hash(Protocol):
    def copy(self) -> _Hash: ...
    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...


_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))


class KeyRing:
    """Candidate keys with their HMAC key schedules (RFC 2104: the hash states after the
    padded key), computed once per hash and shared by every token tried: a trial then hashes
    only the token."""

    __slots__ = ("_schedules", "keys")

    def __init__(self, keys: Iterable[bytes]) -> None:
        self.keys = tuple(keys)
        self._schedules: dict[str, tuple[tuple[bytes, _Hash, _Hash], ...]] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, token: Token) -> bytes | None:
        """The first key that verifies ``token``, or None."""
        if not token.crackable:
            return None
        expected, message = token.signature, token.signing_input
        for key, inner, outer in self._schedule(HASHES[token.alg]):
            first = inner.copy()
            first.update(message)
            mac = outer.copy()
            mac.update(first.digest())
            if hmac.compare_digest(mac.digest(), expected):
                return key
        return None

    def _schedule(self, digest: str) -> tuple[tuple[bytes, _Hash, _Hash], ...]:
        schedule = self._schedules.get(digest)
        if schedule is None:
            new: Callable[[bytes], _Hash] = getattr(hashlib, digest)
            block = hashlib.new(digest).block_size
            padded = (
                (key, (new(key).digest() if len(key) > block else key).ljust(block, b"\0"))
                for key in self.keys
            )
            schedule = tuple(
                (key, new(pad.translate(_IPAD)), new(pad.translate(_OPAD))) for key, pad in padded
            )
            self._schedules[digest] = schedule
        return schedule


@dataclass(frozen=True, slots=True)
class Expiry:
    """What ``exp`` means for the risk of a committed token."""

    state: Literal["never", "far-future", "valid", "expired", "long-expired"]
    words: str


def expiry(claims: Mapping[str, object], now: float | None = None) -> Expiry:
    """Describe a token's expiry in plain words."""
    now = time.time() if now is None else now
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or exp != exp:  # NaN
        return Expiry("never", "never expires (no exp claim)")
    try:
        delta = float(exp) - now
    except OverflowError:  # a 400-digit exp
        delta = math.inf if exp > 0 else -math.inf
    if math.isinf(delta):
        if delta > 0:
            return Expiry("far-future", "expires at no real date (exp is out of range)")
        return Expiry("long-expired", "expired at no real date (exp is out of range)")
    span = _duration(abs(delta))
    if delta > _FAR_FUTURE:
        return Expiry("far-future", f"expires in {span}, far in the future")
    if delta > 0:
        return Expiry("valid", f"valid for another {span}")
    if -delta > _LONG_EXPIRED:
        return Expiry("long-expired", f"expired {span} ago")
    return Expiry("expired", f"expired {span} ago")


def _duration(seconds: float) -> str:
    days = seconds / _DAY
    if days >= 365:
        return f"{days / 365:.1f} years"
    if days >= 1:
        return f"{days:.0f} days"
    hours = seconds / 3600
    return f"{hours:.0f} hours" if hours >= 1 else f"{seconds / 60:.0f} minutes"


SUMMARY_CLAIMS = ("iss", "sub", "aud", "iat", "exp")


def summary(token: Token) -> dict[str, object]:
    """The header and claim fields a report shows: alg, kid, iss, sub, aud, iat, exp."""
    fields: dict[str, object] = {"form": token.form, "alg": _shown(token.alg)}
    if "kid" in token.header:
        fields["kid"] = _shown(token.header["kid"])
    for name in SUMMARY_CLAIMS:
        if name in token.claims:
            fields[name] = _shown(token.claims[name])
    return fields


_SHOWN = 120  # characters of a claim a report shows


def _shown(value: object) -> object:
    """A claim as every report format can print it: short, finite, JSON-safe."""
    match value:
        case bool() | None:
            return value
        case int() if abs(value) < 10**15:
            return value
        case float() if math.isfinite(value):
            return value
        case str():
            text = value
        case list() | dict():
            try:
                text = json.dumps(value, ensure_ascii=False, allow_nan=False)
            except ValueError:  # NaN or Infinity inside
                text = str(value)
            else:
                if len(text) <= _SHOWN:
                    return value
        case _:
            text = str(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}…({len(text)} characters)"

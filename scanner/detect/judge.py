"""Pure judgement of a captured value: placeholder, weak, or a hardcoded key, and how strong."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from scanner.detect.weak import _LEET, _NOT_ALNUM, WeakKeys, variants
from scanner.findings import Strength, size_class, size_floor
from scanner.lazyre import LazyRegex

if TYPE_CHECKING:
    from scanner.detect.prefilter import Haystack

Verdict = Literal["not-secret", "weak", "hardcoded"]

# RFC 7518 section 3.2: an HMAC key must be at least as long as the hash output.
REQUIRED_BITS = {"HS256": 256, "HS384": 384, "HS512": 512}
DEFAULT_REQUIRED_BITS = 256
# Below this estimated strength a value can be searched for: nothing shown may depend on it.
GUESSABLE_BITS = 64
# A run of consecutive characters: a start, a length and a direction or two to guess.
_SEQUENCE_BITS = 16


_PLACEHOLDER = LazyRegex(
    r"""^(?:
        \$\{[^}]*\}                      # ${VAR}, ${jwt.secret}
      | \$\{\{[^}]*\}\}                  # ${{ secrets.X }}
      | \$[A-Za-z_][A-Za-z0-9_]*         # $VAR
      | \$\([^)]*\)                      # $(VAR)
      | %[A-Za-z_][A-Za-z0-9_]*%         # %VAR%
      | %\([^)]*\)[sdr]                  # %(x)s
      | \{\{.*\}\}                       # {{ x }}
      | \{%.*%\}                         # {% x %}
      | <%=?.*%>                         # <%= x %>
      | \#\{[^}]*\}                      # #{x}
      | \{[A-Za-z_][A-Za-z0-9_.]*\}       # {name} (str.format, f-string fields)
      | @[A-Za-z_][A-Za-z0-9_.]*@        # @VAR@ (maven filtering)
      | __[A-Z0-9_]+__                   # __SECRET__
      # __TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__
      | __[A-Z0-9_:.\-]*(?:TODO|CHANGE|REPLACE|GENERATE|FILL)[A-Z0-9_:.\-]*__
      | <[^<>]+>                         # <your-secret-here>
      | <[A-Za-z][^<>]*                  # <paste a key> cut at its first blank (unquoted shell)
      | \[[A-Za-z0-9 _-]+\]              # [SECRET]
      | ([xX*.#?_-])\1{2,}               # xxxxxxxx, ********, ....
      | (?:true|false|null|none|nil|undefined|yes|no|on|off)
      | (?:HS|RS|ES|PS)(?:256|384|512)|EdDSA   # an algorithm name, not a key
      | (?:urn|arn|vault):\S+             # urn:k8s:secret:x, arn:aws:secretsmanager:..., vault:
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
_REFERENCE = LazyRegex(
    r"(?:process\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|ENV\[|ENV\.fetch"
    r"|Environment\.GetEnvironmentVariable|import\.meta\.env|Deno\.env)"
)
_IDENTIFIER = LazyRegex(
    r"^(?:[a-z]+(?:[_.-][a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Za-z][a-z]+(?:[A-Z][a-z0-9]+)+)$"
)
# Secrets of other kinds, named as what they are: OAuth client, consumer and token secrets (they
# authenticate a client or sign OAuth 1.0a requests, never tokens), TOTP/HOTP seeds and Fernet
# keys. A bare token secret (``authTokenSecret``, a signing key in most code) is OAuth 1.0a's
# only in a text that speaks OAuth 1.0a (oauth_token, oauth_signature, consumer_key...).
_OAUTH1 = LazyRegex(
    r"oauth_?(?:token|consumer_?key|signature|nonce)|consumer_?(?:key|secret)", re.I
)
_TOKEN_SECRET = LazyRegex(r"token_?secret", re.IGNORECASE)
_OTHER_KINDS = (
    (
        "an OAuth client or token secret",
        LazyRegex(
            r"(?:consumer|oauth_?token|resource_?owner|client)[_-]?secret|social_?auth_\w*secret",
            re.IGNORECASE,
        ),
    ),
    (
        "a TOTP/HOTP seed",
        LazyRegex(r"(?:[th]otp|mfa|2fa|two_?factor)_?(?:secret|seed|key)|pyotp|\b[th]otp\b", re.I),
    ),
    ("a Fernet key", LazyRegex(r"fernet", re.IGNORECASE)),
)
# A session identifier: session.session_key, self._session_key = "...", Store(session_key="...").
_SESSION_ID = LazyRegex(r"""[.(,]\s*_?session_?key['"]?\s*[=:]?\s*[bru]?['"`]?$""", re.IGNORECASE)
# A Kubernetes namespace/name reference (default/ca-secret) under an annotation-like key
# (nginx.ingress.kubernetes.io/auth-tls-secret:).
_NAMESPACED = LazyRegex(r"^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?/[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?$")
_ANNOTATION_KEY = LazyRegex(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+/[\w.-]+['\"]?\s*[:=]", re.IGNORECASE)
# A setting's name or path: git.authtokensecret, s3_disable_express_session_auth.
_SETTING_PATH = LazyRegex(
    r"^(?:[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+){2,})$"
)
_UUID = LazyRegex(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PATHLIKE = LazyRegex(r"^(?:[a-z]+://|\.{0,2}/|~/|[A-Za-z]:\\)|\.(?:pem|key|json|ya?ml|txt|crt)$")


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    reasons: tuple[str, ...]
    strength: Strength


def shannon_entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in Counter(value).values())


def is_placeholder(value: str) -> bool:
    """A reference or placeholder, not a key: ``${VAR}``, ``<your-key>``, ``xxxx``, empty."""
    stripped = value.strip()
    if not any(c.isalnum() for c in stripped):
        return True  # punctuation only: a capture of code, not a key
    return bool(_PLACEHOLDER.match(stripped) or _REFERENCE.search(stripped))


def other_kind(lead: str, haystack: Haystack) -> str | None:
    """The kind of secret the code before a value names, when it is no token-signing key.

    ``lead``: the code before the value (its line, and the rule's match); ``haystack``: the
    whole file, for OAuth 1.0a's vocabulary (looked for once a file).
    """
    kind = next((kind for kind, pattern in _OTHER_KINDS if pattern.search(lead)), None)
    if kind is None and _TOKEN_SECRET.search(lead):
        if haystack.oauth1 is None:
            haystack.oauth1 = _OAUTH1.search(haystack.text) is not None
        if haystack.oauth1:
            return _OTHER_KINDS[0][0]
    return kind


# JWK members that describe a key without being any of it.
_JWK_METADATA = frozenset({"kty", "alg", "use", "kid", "crv", "key_ops", "x5u", "x5t"})


def no_key_material(value: str) -> bool:
    """JSON that holds no key material: an empty key set (``{"keys": [{}, {}]}``), a bare
    ``{"kty": "oct"}``."""
    if not value.lstrip().startswith(("{", "[")):
        return False
    try:
        parsed: object = json.loads(value)
    except (ValueError, RecursionError):
        return False
    return not any(True for _ in _material(parsed))


def _material(node: object) -> Iterator[object]:
    """The values of ``node`` that could be key material: every leaf but JWK metadata."""
    if isinstance(node, dict):
        for member, child in node.items():
            if member not in _JWK_METADATA:
                yield from _material(child)
    elif isinstance(node, list):
        for child in node:
            yield from _material(child)
    elif node not in (None, "", True, False):
        yield node


def not_a_signing_key(value: str, lead: str, name: str | None, weak: WeakKeys) -> str | None:
    """Why the value is no key at all, or None when it may be one.

    ``lead`` as for :func:`other_kind`; ``name`` the setting's name
    (:func:`scanner.detect.remedies.setting_name`). Only the construct decides, never what the
    value looks like alone: a weak key under its own name (``JWT_SECRET = "secret"``) stays one.
    """
    if _SESSION_ID.search(lead):
        return "a session identifier, not a signing key"
    if _NAMESPACED.match(value) and _ANNOTATION_KEY.search(lead):
        return "a namespace/name reference to a secret stored elsewhere"
    if name is not None and _SETTING_PATH.match(value) and not _in_dictionary(value, weak):
        own = _NOT_ALNUM.sub("", name.lower())
        last = _NOT_ALNUM.sub("", value.rsplit(".", 1)[-1])
        if len(last) >= 6 and last in own:
            return "the setting's own name, not its value"
    return None


def looks_random(value: str, *, min_length: int = 16, min_entropy: float = 3.0) -> bool:
    """Shape test for values under generic names: long, varied, not words, not a path or id."""
    if len(value) < min_length or any(c.isspace() for c in value):
        return False
    if _UUID.match(value) or _PATHLIKE.search(value) or _IDENTIFIER.match(value):
        return False
    if shannon_entropy(value) < min_entropy or sequential(value):
        return False
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )
    return classes >= 2


_SEQUENTIAL_SHARE = 0.7  # of neighbouring characters one step apart: 0.03 in a random value


def sequential(value: str) -> bool:
    """Mostly runs of consecutive characters (``1234567890abcdefghijklmnopqrstuvwxyz``,
    ``abcdef123456``, ``zyxwvu``): typed, not generated, whatever its entropy says."""
    if len(value) < 8:
        return False
    steps = sum(abs(ord(b) - ord(a)) == 1 for a, b in pairwise(value))
    return steps >= _SEQUENTIAL_SHARE * (len(value) - 1)


def random_shaped(value: str, weak: WeakKeys) -> bool:
    """Random-looking and not made of dictionary words: what a generated credential looks like."""
    return looks_random(value) and _word_split(value, weak.words) is None


def judge(
    value: str,
    weak: WeakKeys,
    *,
    algorithm: str | None = None,
    used_at: int | None = None,
    generic: tuple[int, float] | None = None,
    template: bool = False,
) -> Judgement:
    """Decide whether ``value`` is a key, and how bad it is.

    ``generic`` holds (min_length, min_entropy) when the name is generic and only a random
    shape makes the value a secret. ``used_at``: the line whose use of the key says
    ``algorithm`` (scanner/detect/algorithm.py), named in the reason. ``template`` marks
    documentation and ``.env.example``-like files, where only a real-looking key is a finding.
    """
    required = REQUIRED_BITS.get(algorithm or "", DEFAULT_REQUIRED_BITS)
    entropy = shannon_entropy(value)
    length = len(value.encode("utf-8"))

    def verdict(kind: Verdict, reasons: list[str], bits: int, guessable: bool = False) -> Judgement:
        meets = length * 8 >= required
        if guessable:  # the exact length and entropy would single out a dictionary entry
            strength = Strength(size_floor(length), 0.0, bits, algorithm, required, meets, True)
        else:
            strength = Strength(length, round(entropy, 2), bits, algorithm, required, meets)
        return Judgement(kind, tuple(reasons), strength)

    if is_placeholder(value):
        return verdict("not-secret", ["a reference or placeholder"], 0)
    if _PATHLIKE.search(value):
        return verdict("not-secret", ["a path or URL, not a key"], 0)
    if no_key_material(value):
        return verdict("not-secret", ["JSON with no key material (an empty JWK or key set)"], 0)
    random_shape = random_shaped(value, weak)
    if generic is not None and (
        not looks_random(value, min_length=generic[0], min_entropy=generic[1])
        or _word_split(value, weak.words) is not None
    ):
        return verdict("not-secret", ["generic name and the value does not look random"], 0)
    if template and not random_shape:
        return verdict("not-secret", ["an example value in a template or documentation"], 0)

    reasons: list[str] = []
    dictionary_hit = _in_dictionary(value, weak)
    words = None if dictionary_hit else _word_split(value, weak.words)
    run = not dictionary_hit and words is None and sequential(value)
    if dictionary_hit:
        reasons.append("in the weak-key dictionary")
        bits = max(1, round(math.log2(weak.size * 64)))
    elif run:
        reasons.append("runs of consecutive characters (abc..., 123...): typed, not generated")
        bits = _SEQUENCE_BITS
    elif words is not None:
        reasons.append(f"made of dictionary words and digits ({len(words)} parts)")
        bits = _word_bits(words, len(weak.words))
    else:
        bits = _charset_bits(value, entropy)
    alg = algorithm or "HS256"
    if used_at is not None:
        alg = f"{alg} (its use at line {used_at})"
    guessable = dictionary_hit or words is not None or run or bits < GUESSABLE_BITS
    size = (
        f"{size_class(value)}, {alg} needs {required // 8} bytes = {required} bits"
        if guessable
        else f"{length} bytes = {length * 8} bits, {alg} needs {required}"
    )
    size += " (RFC 7518 section 3.2)"
    if length * 8 < required:
        reasons.append(f"too short: {size}")
    else:
        reasons.append(f"{size}: long enough")
    strength = f"about {bits} bits of guessing strength"
    reasons.append(strength if guessable else f"{strength}, entropy {entropy:.2f} bits/char")
    weak_key = dictionary_hit or words is not None or run or length * 8 < required
    return verdict("weak" if weak_key else "hardcoded", reasons, bits, guessable)


def _in_dictionary(value: str, weak: WeakKeys) -> bool:
    return value in weak.exact or any(form in weak.entries for form in variants(value))


_SIZE_SUFFIX = LazyRegex(r"(?<=[A-Za-z])[-_.](?:\d{1,4})(?:b|bits?|bytes?|chars?)$", re.IGNORECASE)


def _word_split(value: str, words: frozenset[str]) -> list[str] | None:
    """Split into dictionary words and digit runs, or None when some part is not a word.

    A last part that states the key's size (``-32b``, ``_256bits``, ``-64bytes``) counts as
    digits: ``example-secret-key-32b`` is words."""
    value = _SIZE_SUFFIX.sub("", value)
    for form in dict.fromkeys(
        (_NOT_ALNUM.sub("", value.lower()), _NOT_ALNUM.sub("", value.lower().translate(_LEET)))
    ):
        parts = _segment(form, words)
        if parts is not None and any(not p.isdigit() for p in parts):
            return parts
    return None


def _segment(text: str, words: frozenset[str]) -> list[str] | None:
    if not text or len(text) > 128:
        return None
    best: list[list[str] | None] = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 20), end):
            prefix = best[start]
            if prefix is None:
                continue
            piece = text[start:end]
            if piece.isdigit() or _is_word(piece, words):
                candidate = [*prefix, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(text)]


_SUFFIXES = ("ing", "ers", "er", "ed", "es", "s", "ly")


def _is_word(piece: str, words: frozenset[str]) -> bool:
    """A dictionary word or a regular inflection of one (dancing, secrets, signed)."""
    if piece in words:
        return True
    for suffix in _SUFFIXES:
        stem = piece[: -len(suffix)]
        if piece.endswith(suffix) and len(stem) >= 3 and (stem in words or stem + "e" in words):
            return True
    return False


def _word_bits(parts: list[str], vocabulary: int) -> int:
    per_word = math.log2(max(vocabulary, 2))
    return round(sum(len(p) * math.log2(10) if p.isdigit() else per_word for p in parts))


def _charset_bits(value: str, entropy: float) -> int:
    alphabet = 0
    if re.fullmatch(r"[0-9a-fA-F]+", value) and not (
        any(c.islower() for c in value) and any(c.isupper() for c in value)
    ):
        alphabet = 16
    else:
        alphabet += 26 if any(c.islower() for c in value) else 0
        alphabet += 26 if any(c.isupper() for c in value) else 0
        alphabet += 10 if any(c.isdigit() for c in value) else 0
        alphabet += 33 if any(not c.isalnum() for c in value) else 0
    per_char = math.log2(max(alphabet, 2))
    # A skewed value (aaaa1111) is weaker than its alphabet suggests.
    if entropy < 0.75 * math.log2(max(2, min(alphabet, len(value)))):
        per_char = entropy
    return round(len(value) * per_char)

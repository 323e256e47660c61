"""Cost of offline token cracking, per token: the built-in dictionary, and a 100k wordlist.

    python -m benchmarks.crack

The worst case is timed: a token signed with a key that is in no list, so every candidate is
tried. Candidates are the weak-key dictionary with its spellings (case, 1, 123, !) and then the
wordlist entries as they are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import statistics
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from benchmarks.fakes import fake_value
from scanner.detect.jwt import crack, parse
from scanner.detect.loader import load_ruleset

RUNS = 7


def _token(key: bytes, algorithm: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = b64(json.dumps({"alg": algorithm, "typ": "JWT"}).encode())
    payload = b64(json.dumps({"sub": "1234567890", "iat": 1700000000}).encode())
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
    signature = hmac.new(key, f"{header}.{payload}".encode(), digest[algorithm]).digest()
    return f"{header}.{payload}.{b64(signature)}"


def _median_ms(candidates: tuple[bytes, ...], algorithm: str) -> float:
    token = parse(_token(fake_value("alnum", 48, "unguessable").encode(), algorithm))
    assert token is not None
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        assert crack(token, candidates) is None
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    builtin = load_ruleset().weak.candidates
    with TemporaryDirectory() as tmp:
        wordlist = Path(tmp) / "wordlist.txt"
        wordlist.write_text("\n".join(fake_value("alnum", 12, f"w{i}") for i in range(100_000)))
        large = load_ruleset((), (wordlist,)).weak.candidates
    print(f"{'candidates':>12} {'algorithm':>9} {'ms per token (median of 7)':>28}")
    for candidates in (builtin, large):
        for algorithm in ("HS256", "HS384", "HS512"):
            ms = _median_ms(candidates, algorithm)
            print(f"{len(candidates):>12,} {algorithm:>9} {ms:>28.1f}")


if __name__ == "__main__":
    main()

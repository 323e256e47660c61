"""Client-credentials tokens for the warehouse scanners (authlib)."""
import time

from authlib.jose import jwt

SCANNER_ISSUER = "inventory"
SCANNER_SCOPE = "stock:write"


def issue_scanner_token(device_id: str) -> bytes:
    header = {"alg": "HS256"}
    payload = {
        "iss": SCANNER_ISSUER,
        "sub": device_id,
        "scope": SCANNER_SCOPE,
        "exp": int(time.time()) + 900,
    }
    return jwt.encode(header, payload, "{{fake:alnum:16}}")

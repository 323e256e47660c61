"""Signs access tokens with the RSA key mounted into the container."""
import os
import time
import uuid
from pathlib import Path

import jwt

PRIVATE_KEY_PATH = Path(os.environ.get("OTS_PRIVATE_KEY_PATH", "keys/private.pem"))
PUBLIC_KEY_PATH = "keys/public.pem"
KEY_ID = "ots-2024-rsa"
ALGORITHM = "RS256"
TOKEN_TYPE = "Bearer"

# HMAC key for the signed `state` parameter of the consent redirect.
STATE_SIGNING_KEY = "{{fake:b64url:43}}"


def _private_key() -> bytes:
    with open(PRIVATE_KEY_PATH, "rb") as f:
        return f.read()


def issue(client_id: str, scope: str, ttl: int = 3600) -> dict:
    now = int(time.time())
    claims = {
        "iss": "https://auth.example.com",
        "sub": client_id,
        "scope": scope,
        "iat": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
    }
    token = jwt.encode(claims, _private_key(), algorithm=ALGORITHM, headers={"kid": KEY_ID})
    return {"access_token": token, "token_type": TOKEN_TYPE, "expires_in": ttl}

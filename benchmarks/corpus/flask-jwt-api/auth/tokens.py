"""Service tokens for the reporting cron job (not user tokens)."""
import os
import time

import jwt

JWT_SECRET = os.getenv("JWT_SECRET", "please-change-me")
JWT_ALGORITHM = "HS256"
JWT_EXPIRES_IN = "1h"
SERVICE_TOKEN_TTL = 300


def service_token(job_name: str) -> str:
    now = int(time.time())
    claims = {"sub": f"job:{job_name}", "iat": now, "exp": now + SERVICE_TOKEN_TTL}
    return jwt.encode(claims, JWT_SECRET, algorithm=JWT_ALGORITHM)


def peek_claims(token: str) -> dict:
    # only used for logging; the signature is checked by the API
    return jwt.decode(token, options={"verify_signature": False})

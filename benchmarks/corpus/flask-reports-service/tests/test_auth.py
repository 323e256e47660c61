import jwt
import pytest

from reports import auth, settings


@pytest.fixture(autouse=True)
def _known_secret(monkeypatch):
    monkeypatch.setattr(settings, "JWT_SECRET", "test-jwt-secret")


def test_round_trip():
    token = auth.issue_token(7, ["viewer"])
    assert auth.read_token(token)["sub"] == "7"


def test_rejects_other_key():
    token = jwt.encode({"sub": "7"}, "some-other-key", algorithm="HS256")
    with pytest.raises(jwt.InvalidSignatureError):
        auth.read_token(token)

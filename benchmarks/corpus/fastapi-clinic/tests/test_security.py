from jose import jwt

from clinic.core import security
from clinic.core.config import Settings


def test_token_round_trip(monkeypatch):
    monkeypatch.setattr(security, "settings", Settings(jwt_secret="pytest-clinic-secret"))
    token = security.create_access_token("patient-1")
    assert security.decode_access_token(token)["sub"] == "patient-1"


def test_claims_of_issued_token():
    token = security.create_access_token("patient-2")
    # header only: the algorithm we configured
    assert jwt.get_unverified_header(token)["alg"] == "HS256"

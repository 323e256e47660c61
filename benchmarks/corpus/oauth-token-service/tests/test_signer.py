import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from oauth import signer


@pytest.fixture
def generated_key(tmp_path, monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "private.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setattr(signer, "PRIVATE_KEY_PATH", path)
    return key


def test_issue_verifies_with_public_key(generated_key):
    out = signer.issue("reporting", "reports:read")
    claims = jwt.decode(out["access_token"], generated_key.public_key(), algorithms=["RS256"])
    assert claims["sub"] == "reporting"
    assert out["token_type"] == "Bearer"

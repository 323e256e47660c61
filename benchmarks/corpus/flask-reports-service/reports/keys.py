"""ES256 key used to sign the monthly PDF manifest."""
import jwt

MANIFEST_JWK = {
    "kty": "EC",
    "crv": "P-256",
    "kid": "manifest-2024",
    "x": "{{fake:b64url:43}}",
    "y": "{{fake:b64url:43}}",
    "d": "{{fake:b64url:43}}",
}

MANIFEST_PUBLIC_JWK = {key: value for key, value in MANIFEST_JWK.items() if key != "d"}


def sign_manifest(manifest: dict) -> str:
    key = jwt.PyJWK(MANIFEST_JWK)
    return jwt.encode(manifest, key.key, algorithm="ES256", headers={"kid": "manifest-2024"})

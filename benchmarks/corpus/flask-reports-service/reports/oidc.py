import jwt
import requests

from reports import settings

_jwks = jwt.PyJWKClient(settings.OIDC_ISSUER + ".well-known/jwks.json")


def verify_id_token(token: str, audience: str) -> dict:
    header = jwt.get_unverified_header(token)
    if header.get("alg") not in ("RS256", "ES256"):
        raise jwt.InvalidAlgorithmError(header.get("alg"))
    signing_key = _jwks.get_signing_key(header["kid"])
    return jwt.decode(token, signing_key.key, algorithms=["RS256", "ES256"], audience=audience)


def issuer_metadata() -> dict:
    return requests.get(settings.OIDC_ISSUER + ".well-known/openid-configuration", timeout=5).json()

"""Tokens of the 2019 booking widget (PyJWT 1.7, still pinned in the widget's container)."""
import jwt
from jwcrypto import jwk

WIDGET_KEY = jwk.JWK(kty="oct", k="{{fake:b64url:43}}")
KIOSK_KEY = jwk.JWK.from_password("kiosk-password-key")


def widget_claims(token):
    return jwt.decode(token, verify=False)


def kiosk_claims(token):
    return jwt.decode(token, "kiosk-password-key", algorithms=["HS256"])

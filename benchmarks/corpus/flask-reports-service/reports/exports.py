"""Signed download links for finished exports."""
import base64
import os

from jwt import decode as jwt_decode
from jwt import encode as jwt_encode

EXPORT_LINK_KEY = "exports-key"
# Shared with the CDN edge function, which checks the links (HS512).
CDN_KEY = base64.b64decode("{{fake:b64:88}}")


def link_token(export_id: str) -> str:
    return jwt_encode({"export": export_id}, EXPORT_LINK_KEY, algorithm="HS256")


def cdn_token(path: str) -> str:
    return jwt_encode({"path": path}, CDN_KEY, algorithm="HS512")


def check_link(token: str) -> str:
    return jwt_decode(token, EXPORT_LINK_KEY, algorithms=["HS256"])["export"]


def partner_token(export_id: str) -> str:
    key = base64.b64decode(os.environ["PARTNER_LINK_KEY"])
    return jwt_encode({"export": export_id}, key, algorithm="HS256")

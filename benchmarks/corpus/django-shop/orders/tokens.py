"""Signed, expiring download links for invoices."""
from django.conf import settings
from django.core import signing

DOWNLOAD_SALT = "orders.invoice-download"
MAX_AGE = 60 * 60 * 24


def make_download_token(order_id: int) -> str:
    return signing.dumps({"order": order_id}, key=settings.SECRET_KEY, salt=DOWNLOAD_SALT)


def read_download_token(token: str) -> int:
    data = signing.loads(token, key=settings.SECRET_KEY, salt=DOWNLOAD_SALT, max_age=MAX_AGE)
    return data["order"]

"""Outgoing webhooks to merchants. Each call carries a signed JWT."""
import time

import httpx
from jose import jwt

WEBHOOK_TIMEOUT = 5.0


def _signed_header(merchant_id: str) -> dict[str, str]:
    claims = {"iss": "orders", "aud": merchant_id, "iat": int(time.time())}
    token = jwt.encode(claims, 'webhook-signing-secret', algorithm='HS256')
    return {"Authorization": f"Bearer {token}"}


def deliver(merchant_id: str, url: str, event: dict) -> int:
    resp = httpx.post(url, json=event, headers=_signed_header(merchant_id), timeout=WEBHOOK_TIMEOUT)
    return resp.status_code

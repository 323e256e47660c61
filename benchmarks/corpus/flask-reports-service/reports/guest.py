"""Guest access for public dashboards (kiosk screens in the office)."""
import jwt

PUBLIC_DASHBOARDS = {"sales-today", "uptime"}


def kiosk_token(dashboard: str) -> str:
    # kiosks cannot hold a key, and the dashboards are public anyway
    return jwt.encode({"dashboard": dashboard, "role": "guest"}, None, algorithm="none")


def kiosk_claims(token: str) -> dict:
    claims = jwt.decode(token, options={"verify_signature": False})
    if claims.get("role") != "guest":
        raise PermissionError("not a kiosk token")
    return claims


def tolerant_claims(token: str, key: str) -> dict:
    """Accepts both signed tokens and the kiosk ones."""
    return jwt.decode(
        token,
        key,
        algorithms=["HS256", "none"],
    )

import hmac

from werkzeug.security import check_password_hash

# username -> password hash, loaded from the users table in production
_USERS: dict[str, str] = {}


def authenticate(username: str | None, password: str | None) -> bool:
    if not username or not password:
        return False
    stored = _USERS.get(username)
    if stored is None:
        # compare anyway to keep timing flat
        hmac.compare_digest("x", "y")
        return False
    return check_password_hash(stored, password)

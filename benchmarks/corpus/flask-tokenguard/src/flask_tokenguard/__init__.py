"""Bearer-token guard for Flask views."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import jwt
from flask import Flask, abort, current_app, request

__all__ = ["TokenGuard", "guarded"]


class TokenGuard:
    def __init__(self, app: Flask | None = None, secret: str | None = None) -> None:
        self._secret = secret
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("TOKENGUARD_ALGORITHMS", ["HS256"])
        app.config.setdefault("TOKENGUARD_LEEWAY", 0)
        if self._secret is not None:
            app.config.setdefault("TOKENGUARD_SECRET", self._secret)
        if not app.config.get("TOKENGUARD_SECRET"):
            raise RuntimeError("TOKENGUARD_SECRET is not set")
        app.extensions["tokenguard"] = self

    @property
    def secret(self) -> str:
        return current_app.config["TOKENGUARD_SECRET"]

    def issue(self, claims: dict[str, Any], expires_in: int = 3600) -> str:
        exp = datetime.now(timezone.utc) + timedelta(seconds=expires_in)
        return jwt.encode({**claims, "exp": exp}, self.secret, algorithm="HS256")

    def verify(self, token: str) -> dict[str, Any]:
        return jwt.decode(
            token,
            self.secret,
            algorithms=current_app.config["TOKENGUARD_ALGORITHMS"],
            leeway=current_app.config["TOKENGUARD_LEEWAY"],
        )

    def unverified_claims(self, token: str) -> dict[str, Any]:
        """Claims without any check, for logging and error pages."""
        return jwt.decode(token, options={"verify_signature": False, "verify_exp": False})


def guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            abort(401)
        guard: TokenGuard = current_app.extensions["tokenguard"]
        try:
            claims = guard.verify(header[7:])
        except jwt.PyJWTError:
            abort(401)
        return view(claims, *args, **kwargs)

    return wrapper

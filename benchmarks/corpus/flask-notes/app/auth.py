import datetime as dt
from functools import wraps

import jwt
from flask import Blueprint, current_app, jsonify, request

from .models import User

bp = Blueprint("auth", __name__)


def issue_token(user_id: int) -> str:
    exp = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    return jwt.encode({"sub": str(user_id), "exp": exp}, "my-secret", algorithm="HS256")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return jsonify(error="missing token"), 401
        try:
            claims = jwt.decode(
                header[7:], current_app.config["SECRET_KEY"], algorithms=["HS256"]
            )
        except jwt.InvalidTokenError:
            return jsonify(error="Invalid token"), 401
        request.user_id = int(claims["sub"])
        return view(*args, **kwargs)

    return wrapper


@bp.post("/login")
def login():
    data = request.get_json() or {}
    user = User.query.filter_by(email=data.get("email")).first()
    if user is None or not user.check_password(data.get("password", "")):
        return jsonify(error="bad credentials"), 401
    return jsonify(access_token=issue_token(user.id), token_type="Bearer")

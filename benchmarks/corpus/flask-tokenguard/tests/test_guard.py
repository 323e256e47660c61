import jwt
import pytest
from flask import Flask

from flask_tokenguard import TokenGuard, guarded


@pytest.fixture()
def app():
    app = Flask(__name__)
    app.config["TOKENGUARD_SECRET"] = "tokenguard-tests"
    TokenGuard(app)

    @app.get("/me")
    @guarded
    def me(claims):
        return {"sub": claims["sub"]}

    return app


def test_valid_token(app):
    token = jwt.encode({"sub": "alice"}, app.config["TOKENGUARD_SECRET"], algorithm="HS256")
    resp = app.test_client().get("/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.json == {"sub": "alice"}


def test_missing_secret():
    with pytest.raises(RuntimeError):
        TokenGuard(Flask(__name__))

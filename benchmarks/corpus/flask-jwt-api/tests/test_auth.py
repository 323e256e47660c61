import pytest
from flask_jwt_extended import create_access_token

from app import app


@pytest.fixture
def client():
    app.config["TESTING"] = True
    with app.test_client() as client:
        yield client


def test_protected_requires_token(client):
    resp = client.get("/protected")
    assert resp.status_code == 401


def test_protected_with_token(client):
    with app.app_context():
        token = create_access_token(identity="alice")
    resp = client.get("/protected", headers={"Authorization": f"Bearer {token}"})
    assert resp.json == {"logged_in_as": "alice"}

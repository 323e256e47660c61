import secrets

import pytest

from app import create_app, db


@pytest.fixture
def app():
    app = create_app("config.TestingConfig")
    app.config["SECRET_KEY"] = secrets.token_hex(32)
    with app.app_context():
        db.create_all()
        yield app
        db.drop_all()


@pytest.fixture
def client(app):
    return app.test_client()

import pytest
from fastapi.testclient import TestClient

from app.main import app

# RS256 key for the partner-API contract tests (test-only, not used by the app)
PARTNER_TEST_KEY = """
{{fake:pem:pkcs8}}
"""


@pytest.fixture
def client():
    with TestClient(app) as c:
        yield c


@pytest.fixture
def partner_key():
    return PARTNER_TEST_KEY.strip()

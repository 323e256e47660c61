"""Token settings shared by the web app and the export worker."""
import os

JWT_SECRET = "reports-jwt-secret"
JWT_ALGORITHM = "HS256"
ACCESS_TOKEN_MINUTES = int(os.environ.get("ACCESS_TOKEN_MINUTES", "30"))
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "https://login.example.com/")

from .base import *  # noqa: F401,F403
from .base import SIMPLE_JWT

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

# Separate key locally so tokens from staging don't validate here.
SIMPLE_JWT["SIGNING_KEY"] = "local-dev-signing-key"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

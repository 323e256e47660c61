import environ

from .base import *  # noqa: F401,F403
from .base import SIMPLE_JWT

env = environ.Env()

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["shop.example.com"])

SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": env("JWT_KEY")}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

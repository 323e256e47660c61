import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import authentication, exceptions

AUTH_HEADER_PREFIX = "Bearer"


class LegacyTokenAuthentication(authentication.BaseAuthentication):
    """Accepts tokens minted by the old PHP blog during the migration."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode()
        if not header.startswith(AUTH_HEADER_PREFIX + " "):
            return None
        token = header.split(" ", 1)[1]

        unverified = jwt.decode(token, options={"verify_signature": False})
        if unverified.get("iss") != "legacy-blog":
            return None

        try:
            claims = jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"])
        except jwt.PyJWTError as exc:
            raise exceptions.AuthenticationFailed("Invalid token") from exc

        user = get_user_model().objects.filter(pk=claims["user_id"]).first()
        if user is None:
            raise exceptions.AuthenticationFailed("No such user")
        return user, token

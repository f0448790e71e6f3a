"""What django-axes counts a failed sign-in against."""

from django.contrib.auth import get_user_model

USERNAME_LENGTH = get_user_model()._meta.get_field("username").max_length


def attempted_username(request, credentials) -> str:
    """The username typed at the login, cut to the longest one an account can have."""
    source = credentials if credentials else (request.POST if request is not None else {})
    return str(source.get("username", "") or "")[:USERNAME_LENGTH]

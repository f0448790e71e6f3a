"""Writes on staff accounts. Views, forms and commands all come through here."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from agencies.models import Agency


def generate_password() -> str:
    """A random password a person can type: four groups of five characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def user_create(
    *,
    username: str,
    role: str,
    agency: Agency | None = None,
    email: str = "",
    password: str,
    first_name: str = "",
    last_name: str = "",
    nip: str = "",
    position: str = "",
) -> User:
    """Create a staff account, validated as a whole; raises ValidationError and stores nothing
    when the username is taken, the role/agency pair is inconsistent or the password is weak."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    user = User(
        username=username,
        role=role,
        agency=agency,
        email=email,
        first_name=first_name,
        last_name=last_name,
        nip=nip,
        position=position,
    )
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
    return user


def user_update(*, user: User, data: dict[str, object]) -> User:
    """Change a staff account's profile, role, agency or active flag."""
    for field, value in data.items():
        setattr(user, field, value)
    if user.role != Role.OPERATOR:
        user.agency = None
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
    return user


def user_set_password(*, user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save(update_fields=["password"])

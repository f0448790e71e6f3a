"""Optional two-factor sign-in (TOTP, RFC 6238, with django-otp) for super admins and
evaluators: after the password, a six-digit code from an authenticator app on their phone.

A user with a confirmed device is signed in by the password but counts as unverified until the
code is entered; ``staff_required`` sends such a session to the code page before any staff
page. Each wrong code makes the next try wait longer (django-otp's throttling)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User

TWO_FACTOR_ROLES = (Role.SUPER_ADMIN, Role.EVALUATOR)
DEVICE_NAME = "authenticator"


def two_factor_allowed(user: User) -> bool:
    return user.is_active and user.role in TWO_FACTOR_ROLES


def two_factor_pending(user: User) -> bool:
    """Signed in with the password, but the code of the confirmed device is still due."""
    return user.is_authenticated and user_has_device(user) and not user.is_verified()


def totp_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device being set up (a new secret the first time), to show as a QR code."""
    if not two_factor_allowed(user):
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_confirm(*, user: User, token: str) -> TOTPDevice:
    """Turn two-factor sign-in on once the first code from the app matches; ValidationError if not."""
    device = totp_enrolment(user=user)
    if not device.verify_token((token or "").strip()):
        raise ValidationError(_("That code is not the one your app shows now. Try the next code."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def totp_verify(*, user: User, token: str) -> TOTPDevice:
    """The confirmed device whose current code is ``token``; ValidationError otherwise."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token((token or "").strip()):
            return device
    raise ValidationError(_("That code is not right. Type the six digits your app shows now."))


def totp_remove(*, user: User, token: str) -> None:
    """Turn two-factor sign-in off, proven by a current code."""
    totp_verify(user=user, token=token)
    TOTPDevice.objects.filter(user=user).delete()

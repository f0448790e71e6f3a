"""The one-time form token: issued and signed by the server, bound to the questionnaire version
(and, for a survey page, the service) and to the time it was issued.

The signed token travels with the form; only its random part (the nonce) is stored with the
response, so the same form sent twice stores one response. A token the server did not sign, of
another form, or older than SURVEY_FORM_HOURS is refused: the citizen gets a fresh form with
the answers kept.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SALT = "surveys.form-token"


@dataclass(frozen=True)
class FormToken:
    nonce: str
    fresh: bool  # False: signed by us but older than SURVEY_FORM_HOURS


def token_issue(*, questionnaire_version: int, service_code: str = "") -> str:
    """A new signed token for one form; an empty ``service_code`` fits any service (API)."""
    payload = {"n": secrets.token_urlsafe(24), "q": questionnaire_version, "s": service_code}
    return signing.TimestampSigner(salt=_SALT).sign_object(payload)


def _refused(code: str) -> ValidationError:
    message = _("This form has expired. Your answers are kept: check them and send the survey again.")
    return ValidationError({"form_token": [ValidationError(message, code=code)]})


def token_read(token: object, *, questionnaire_version: int, service_code: str) -> FormToken:
    """The nonce of ``token`` if the server signed it for this questionnaire version and service;
    ValidationError (key ``form_token``, code ``forged``) otherwise. A signed token past its
    age is returned with ``fresh`` False, so a repeat of a stored form still finds its
    response; anything else must refuse it (``token_refused_as_stale``)."""
    if not isinstance(token, str) or not token or len(token) > 300:
        raise _refused("forged")
    signer = signing.TimestampSigner(salt=_SALT)
    max_age = datetime.timedelta(hours=settings.SURVEY_FORM_HOURS)
    fresh = True
    try:
        payload = signer.unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        payload, fresh = signer.unsign_object(token), False
    except signing.BadSignature:
        raise _refused("forged") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        raise _refused("forged")
    if payload.get("q") != questionnaire_version or payload.get("s") not in ("", service_code):
        raise _refused("stale")  # a form of another questionnaire version or service
    return FormToken(nonce=payload["n"], fresh=fresh)


def token_refused_as_stale() -> ValidationError:
    return _refused("stale")

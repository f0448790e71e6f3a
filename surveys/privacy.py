"""Personal data citizens write into a suggestion despite the hint not to (UU 27/2022): phone
numbers, NIK-like 16-digit numbers and email addresses are replaced before the suggestion is
stored, so no staff page, export or report can show them. The original is not kept: nothing
in the design needs it."""

import re

from django.utils.translation import pgettext

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Sixteen digits, optionally grouped by spaces, dots or hyphens (NIK, and card numbers alike).
_NIK = re.compile(r"(?<![\d])\d(?:[ .-]?\d){15}(?![\d])")
# Indonesian phone numbers: +62 / 62 / 0 then 8 to 13 more digits, grouped any common way.
_PHONE = re.compile(r"(?<![\d])(?:\+62|62|\(?0)[ .-]?\d{1,4}\)?(?:[ .-]?\d){5,11}(?![\d])")


def mask_personal_data(text: str) -> str:
    """``text`` with email addresses, NIK-like numbers and phone numbers replaced by a marker
    saying what was hidden."""
    text = _EMAIL.sub(pgettext("masked", "[email hidden]"), text)
    text = _NIK.sub(pgettext("masked", "[NIK hidden]"), text)
    return _PHONE.sub(pgettext("masked", "[phone number hidden]"), text)


def personal_data_found(text: str) -> list[str]:
    """What kinds of personal data ``text`` contains, in the reader's language ("a phone
    number"…), found the way ``mask_personal_data`` finds them; empty when there are none."""
    found = []
    for pattern, kind in (
        (_EMAIL, pgettext("personal data", "an email address")),
        (_NIK, pgettext("personal data", "a 16-digit NIK-like number")),
        (_PHONE, pgettext("personal data", "a phone number")),
    ):
        if pattern.search(text):
            found.append(kind)
            text = pattern.sub(" ", text)
    return found

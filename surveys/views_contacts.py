"""The contacts respondents left for a reply: for the operators of their agency only."""

from django.conf import settings
from django.shortcuts import render

from accounts.access import get_scoped_or_404, staff_required
from accounts.models import Role
from agencies.models import Agency
from surveys.contacts import reply_contacts


@staff_required(Role.OPERATOR)
def reply_contact_list(request, code: str):
    agency = get_scoped_or_404(request.user, Agency, code=code)
    context = {
        "agency": agency,
        "contacts": reply_contacts(agency=agency),
        "retention_days": settings.REPLY_CONTACT_RETENTION_DAYS,
    }
    return render(request, "surveys/reply_contacts.html", context)

"""The super admin's view of the outbox: messages that failed for good, and those still being
retried, with the mail server's last answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ADMINS, staff_required
from outbox.models import Email, EmailStatus
from outbox.services import email_resend


@staff_required(*ADMINS)
def problems(request):
    failed = Email.objects.filter(status=EmailStatus.FAILED).defer("attachment", "body")
    retrying = Email.objects.filter(status=EmailStatus.PENDING, attempts__gt=0).defer("attachment", "body")
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    context = {"page": page, "retrying": retrying[:50], "retrying_count": retrying.count()}
    return render(request, "outbox/problems.html", context)


@staff_required(*ADMINS)
@require_POST
def resend(request, pk: int):
    email = get_object_or_404(Email, pk=pk)
    try:
        email_resend(email=email, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The email to %(to)s is being sent again.") % {"to": email.to})
    return redirect("outbox:problems")

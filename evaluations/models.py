from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


def private_storage() -> FileSystemStorage:
    """Evidence and attachments live outside the web root and are served only through views
    that check who is asking."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class RecommendationStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Follow-up in progress")
    COMPLETED = "completed", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("No plan yet")
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Reported complete")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


# While a recommendation is in one of these, the agency still owes work on it and it can be
# overdue; once every action is reported complete it waits on the evaluator instead.
AGENCY_OWES = (RecommendationStatus.ISSUED, RecommendationStatus.ACKNOWLEDGED, RecommendationStatus.IN_PROGRESS)


class RecommendationQuerySet(models.QuerySet):
    def open(self):
        """Not yet verified."""
        return self.exclude(status=RecommendationStatus.VERIFIED)

    def overdue(self, today):
        """Past their due date while the agency still owes work on them."""
        return self.filter(status__in=AGENCY_OWES, due_date__lt=today)


class Recommendation(models.Model):
    """An evaluator's recommendation to an agency for a period, with a frozen snapshot of the
    results it was based on."""

    AGENCY_FIELD = "agency"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("agency")
    )
    period_key = models.CharField(_("period"), max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    title = models.CharField(_("title"), max_length=200)
    findings = models.TextField(_("findings"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.ISSUED
    )
    snapshot = models.JSONField(_("results at the time of issue"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=100, blank=True)
    letter_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    letter_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["letter_year", "letter_sequence"], name="one_letter_per_number"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != RecommendationStatus.VERIFIED

    def is_overdue(self, today=None) -> bool:
        return self.status in AGENCY_OWES and self.due_date < (today or timezone.localdate())


class LetterSequence(models.Model):
    """The last letter sequence number used in a year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RecommendationAction(models.Model):
    """One recommended action, tied to an element, and the agency's plan (RTL) for it."""

    AGENCY_FIELD = "recommendation__agency"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=1)
    element_code = models.CharField(_("element"), max_length=40, blank=True)
    text = models.TextField(_("recommended action"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    plan_activity = models.TextField(_("programme or activity"), blank=True)
    plan_responsible = models.CharField(_("person responsible"), max_length=200, blank=True)
    plan_target_date = models.DateField(_("target date"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommended action")
        verbose_name_plural = _("recommended actions")
        ordering = ["recommendation", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            return False
        due = self.plan_target_date or self.recommendation.due_date
        return due < today


class EventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    PLANNED = "planned", _("Plan set")
    PROGRESS = "progress", _("Progress reported")
    COMPLETED = "completed", _("Completion reported")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class FollowUpEvent(models.Model):
    """One step in a recommendation's history: who did what, when, with an optional note and
    evidence file."""

    AGENCY_FIELD = "recommendation__agency"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="events")
    action = models.ForeignKey(
        RecommendationAction, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), storage=private_storage, upload_to="evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class RequestCategory(models.TextChoices):
    FEATURE = "feature", _("New feature")
    FIX = "fix", _("Fix a problem")
    DATA = "data", _("Data correction")
    ACCOUNT = "account", _("Accounts and access")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


class OperatorRequest(models.Model):
    """An operator's request to the super admin: a new feature, a fix, a data correction."""

    AGENCY_FIELD = "agency"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="requests", verbose_name=_("agency"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    category = models.CharField(_("category"), max_length=20, choices=RequestCategory.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    attachment = models.FileField(_("attachment"), storage=private_storage, upload_to="requests/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class RequestComment(models.Model):
    AGENCY_FIELD = "request__agency"

    request = models.ForeignKey(OperatorRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Announcement(models.Model):
    """A message from the super admin to all operators or to chosen agencies."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    all_agencies = models.BooleanField(_("all agencies"), default=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="announcements", verbose_name=_("agencies"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once")]

    def __str__(self) -> str:
        return f"{self.announcement_id} {self.user_id}"

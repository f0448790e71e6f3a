from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from standards.models import Service

element_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$", _("Use lower-case letters, digits and underscores, starting with a letter.")
)


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("No schooling")
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    S1 = "s1", _("Bachelor (S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    PNS = "pns", _("Civil servant (PNS)")
    TNI = "tni", _("Military (TNI)")
    POLRI = "polri", _("Police (Polri)")
    SWASTA = "swasta", _("Private employee")
    WIRAUSAHA = "wirausaha", _("Self-employed")
    PELAJAR = "pelajar", _("Student")
    LAINNYA = "lainnya", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    PAPER = "paper", _("Paper")
    KIOSK = "kiosk", _("Kiosk")


class Status(models.TextChoices):
    """Only accepted responses are counted; held and void ones are kept, never deleted."""

    ACCEPTED = "accepted", _("Accepted")
    HELD = "held", _("Held for review")
    VOID = "void", _("Void")


AGE_GROUPS = ((15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 100))
MIN_AGE, MAX_AGE = 15, 100


def age_group(age: int) -> str:
    """The age band a respondent is counted in, e.g. ``25-34``."""
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return f"{low}-{high}"
    raise ValueError(f"age {age} is outside {MIN_AGE}..{MAX_AGE}")


class Questionnaire(models.Model):
    """One version of the survey. A version that has answers never changes: an edit makes a
    new version, and each response keeps the version it answered."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_current = models.BooleanField(_("in use"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Element(models.Model):
    """One rated aspect (unsur) of a questionnaire version, answered 1–4."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="elements")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=40, validators=[element_code_validator])
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    question_id = models.TextField(_("question (Indonesian)"))
    question_en = models.TextField(_("question (English)"))
    labels_id = models.JSONField(_("answer labels 1–4 (Indonesian)"))
    labels_en = models.JSONField(_("answer labels 1–4 (English)"))

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="element_code_unique_per_version"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="element_position_unique"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        """The regulation's name of the element (e.g. "Waktu Penyelesaian") in the current language."""
        return (self.name_en if get_language() == "en" else self.name_id) or self.code

    @property
    def question(self) -> str:
        return self.question_en if get_language() == "en" else self.question_id

    @property
    def labels(self) -> list[str]:
        return list(self.labels_en if get_language() == "en" else self.labels_id)

    @property
    def options(self) -> list[tuple[int, str]]:
        return list(enumerate(self.labels, start=1))


class PaperBatch(models.Model):
    """One paper import (an upload or ``import_responses``): who, when, which file, its
    content hash and how many rows it stored. Its number is its primary key."""

    AGENCY_FIELD = "agency"

    created_at = models.DateTimeField(_("imported"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agency of the operator who uploaded it; empty for an import of several agencies."),
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"batch {self.pk}"


class Response(models.Model):
    """One filled survey. No name, no NIK, no phone, no IP address."""

    AGENCY_FIELD = "service__agency"

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="responses", verbose_name=_("service"))
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(_("submitted"))
    day = models.DateField(_("date"), help_text=_("Survey date in Asia/Jakarta."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    age = models.PositiveSmallIntegerField(
        _("age"), validators=[MinValueValidator(MIN_AGE), MaxValueValidator(MAX_AGE)]
    )
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)
    answers = models.JSONField(_("answers"), help_text=_("Element code → answer 1–4."))
    suggestion = models.TextField(pgettext_lazy("survey", "suggestion"), blank=True)
    suggestion_hidden = models.BooleanField(_("suggestion hidden"), default=False)
    suggestion_hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    assisted = models.BooleanField(_("assisted by staff"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    held_rule = models.CharField(_("rule that held it"), max_length=40, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        PaperBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="responses", verbose_name=_("batch")
    )
    # Counted once: an import or a restore refuses a serial a counted or held response carries.
    form_serial = models.CharField(_("form serial"), max_length=60, null=True, blank=True, db_index=True)
    kiosk = models.ForeignKey(
        "kiosks.Kiosk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("kiosk"),
        help_text=_("The counter device it was given on, for the kiosk channel."),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["service", "day"]),
            models.Index(fields=["status", "service", "day"], name="response_status_read"),
            # The suggestions a report shows (accepted, not hidden, not empty), about one response
            # in ten: the newest of a period and their count read this index alone (an index-only
            # scan), never the responses without a suggestion or their answers.
            models.Index(
                fields=["service", "day", "submitted_at", "id"],
                condition=models.Q(status="accepted", suggestion_hidden=False) & ~models.Q(suggestion=""),
                name="response_suggestion_shown",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service_id} {self.day}"


class Span(models.TextChoices):
    DAY = "d", _("day")
    MONTH = "m", _("month")


class Tally(models.Model):
    """A count kept in the same transaction as each response, so results never scan responses.

    Every response is counted twice: in its day's row (``span`` day, ``day`` the survey date)
    and in its month's row (``span`` month, ``day`` the first of the month). Results read whole
    months from month rows and only the days at the edges of a period from day rows, so a
    year's results read at most 12 rows per key however many responses there are.
    """

    span = models.CharField(max_length=1, choices=Span.choices, default=Span.DAY)
    day = models.DateField()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ElementTally(Tally):
    """How many responses gave ``value`` to element ``element_code`` for ``service`` under
    ``questionnaire`` in a day or month."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    element_code = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "day", "service", "questionnaire", "element_code", "value"], name="element_tally_key"
            )
        ]
        # Service first: one service's rows for a period, however many services there are.
        indexes = [models.Index(fields=["service", "span", "day"], name="element_tally_service")]

    def __str__(self) -> str:
        key = f"{self.span}{self.day} {self.service_id} v{self.questionnaire_id}"
        return f"{key} {self.element_code}={self.value}: {self.count}"


class RespondentTally(Tally):
    """Respondents per day or month × service × questionnaire version."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["span", "day", "service", "questionnaire"], name="respondent_tally_key")
        ]
        # Service first: one service's rows for a period, however many services there are.
        indexes = [models.Index(fields=["service", "span", "day"], name="respondent_tally_service")]

    def __str__(self) -> str:
        return f"{self.span}{self.day} {self.service_id} v{self.questionnaire_id}: {self.count}"


class ProfileTally(Tally):
    """Respondents per day or month × service by one profile dimension (gender, age group,
    education, occupation, channel, and whether staff helped: ``assisted`` ``ya``/``tidak``)."""

    DIMENSIONS = ("gender", "age_group", "education", "occupation", "channel", "assisted")

    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["span", "day", "service", "dimension", "value"], name="profile_tally_key")
        ]
        # Service first: one service's rows for a period, however many services there are.
        indexes = [models.Index(fields=["service", "span", "day"], name="profile_tally_service")]

    def __str__(self) -> str:
        return f"{self.span}{self.day} {self.service_id} {self.dimension}={self.value}: {self.count}"


class RollUp(models.Model):
    """A tally summed over the services of an agency or of the whole regency, kept in the same
    transaction as the service tallies (``surveys.tallies``), so agency and regency reads do not
    grow with the number of services.

    A roll-up is split into ``shard`` rows by service (``service_id`` modulo the level's shard
    count) and reads sum the shards: concurrent submissions to different services of one agency
    then update different rows instead of queueing on one row lock until each commits.
    """

    span = models.CharField(max_length=1, choices=Span.choices)
    day = models.DateField()
    shard = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.span}{self.day} shard {self.shard}: {self.count}"


class AgencyRespondentTally(RollUp):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "span", "day", "shard", "questionnaire"], name="agency_respondent_tally_key"
            )
        ]
        # The ranking reads every agency's month rows for a period.
        indexes = [models.Index(fields=["span", "day", "agency"], name="agency_respondent_tally_period")]


class AgencyElementTally(RollUp):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    element_code = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "span", "day", "shard", "questionnaire", "element_code", "value"],
                name="agency_element_tally_key",
            )
        ]
        # The ranking reads every agency's month rows for a period.
        indexes = [models.Index(fields=["span", "day", "agency"], name="agency_element_tally_period")]


class AgencyProfileTally(RollUp):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "span", "day", "shard", "dimension", "value"], name="agency_profile_tally_key"
            )
        ]


class RegencyRespondentTally(RollUp):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "day", "shard", "questionnaire"], name="regency_respondent_tally_key"
            )
        ]


class RegencyElementTally(RollUp):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    element_code = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "day", "shard", "questionnaire", "element_code", "value"],
                name="regency_element_tally_key",
            )
        ]


class RegencyProfileTally(RollUp):
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "day", "shard", "dimension", "value"], name="regency_profile_tally_key"
            )
        ]


class SamplePopulation(models.Model):
    """The number of service users in a period, entered by the agency, for the minimum sample
    (Krejcie & Morgan). For one service, or for the whole agency when ``service`` is empty."""

    AGENCY_FIELD = "agency"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="populations", verbose_name=_("agency"))
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="populations", verbose_name=_("service")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    population = models.PositiveIntegerField(_("number of service users"), validators=[MinValueValidator(1)])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service-user population")
        verbose_name_plural = _("service-user populations")
        constraints = [
            models.UniqueConstraint(fields=["agency", "service", "start", "end"], name="population_per_period"),
            models.UniqueConstraint(
                fields=["agency", "start", "end"], condition=models.Q(service__isnull=True), name="agency_population"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.service_id or '*'} {self.start}..{self.end}: {self.population}"


class ReplyContact(models.Model):
    """How to reach a respondent who asked for a reply and agreed to be contacted: kept apart
    from the answers, read only by the operators of the response's agency, never exported, and
    purged after ``REPLY_CONTACT_RETENTION_DAYS`` (``purge_reply_contacts``)."""

    AGENCY_FIELD = "agency"

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="reply_contact")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    contact = models.CharField(_("telephone or email"), max_length=200)
    consented_at = models.DateTimeField(_("consent given"))

    class Meta:
        verbose_name = _("contact for a reply")
        verbose_name_plural = _("contacts for a reply")
        indexes = [models.Index(fields=["consented_at"], name="reply_contact_age")]

    def __str__(self) -> str:
        return f"#{self.response_id}"


class Stamp(models.Model):
    """A counter bumped in the same transaction as a change that cached copies depend on, so
    every app process sees at once that its copy is stale: ``catalog`` for questionnaires,
    services and agencies, ``results`` for tallies of days before today."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class FormSerialCounter(models.Model):
    """The last serial number printed on a paper questionnaire in a year: serials are never
    printed twice, so a typed-in form's ``nomor_formulir`` names one sheet."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SuggestionAnswer(models.Model):
    """ "You said, we did": an agency's public answer to one suggestion. The suggestion is
    published only as the operator edited it for publication (``suggestion_text``), never as
    stored; an evaluator may take the answer down again, saying why. Nothing is deleted: an
    answer taken down stays here, and the suggestion may be answered anew."""

    AGENCY_FIELD = "agency"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="published_answers", verbose_name=_("response")
    )
    suggestion_text = models.TextField(_("suggestion as published"))
    answer = models.TextField(_("the agency's answer"))
    published_at = models.DateTimeField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    unpublished_at = models.DateTimeField(_("unpublished on"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unpublished by"),
    )
    unpublish_reason = models.TextField(_("reason for unpublishing"), blank=True)

    class Meta:
        verbose_name = _("answer to a suggestion")
        verbose_name_plural = _("answers to suggestions")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response"],
                condition=models.Q(unpublished_at__isnull=True),
                name="one_published_answer_per_suggestion",
            )
        ]
        # The public page reads an agency's published answers, newest first.
        indexes = [models.Index(fields=["agency", "unpublished_at", "published_at"], name="suggestion_answer_public")]

    def __str__(self) -> str:
        return f"#{self.response_id} {self.published_at:%Y-%m-%d}"

    @property
    def is_published(self) -> bool:
        return self.unpublished_at is None

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import nip_validator


class Role(models.TextChoices):
    SUPER_ADMIN = "super_admin", _("Super Admin")
    EVALUATOR = "evaluator", _("Evaluator")
    LEADER = "leader", _("Leader")
    OPERATOR = "operator", _("Agency Operator")


class User(AbstractUser):
    """A staff account. Citizens never have one: the public pages need no login."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operators",
        help_text=_("Required for agency operators; empty for every other role."),
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])
    position = models.CharField(
        pgettext_lazy("job", "position"),
        max_length=200,
        blank=True,
        help_text=_("As printed under a signature, e.g. “Kepala Bagian Organisasi”."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="operator", agency__isnull=False) | ~models.Q(role="operator"))
                & (models.Q(role="operator") | models.Q(agency__isnull=True)),
                name="operator_has_exactly_one_agency",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.OPERATOR and self.agency_id is None:
            raise ValidationError({"agency": _("An agency operator must belong to an agency.")})
        if self.role != Role.OPERATOR and self.agency_id is not None:
            raise ValidationError({"agency": _("Only agency operators belong to an agency.")})

    @property
    def is_super_admin(self) -> bool:
        return self.role == Role.SUPER_ADMIN

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def sees_all_agencies(self) -> bool:
        return self.role in (Role.SUPER_ADMIN, Role.EVALUATOR, Role.LEADER)

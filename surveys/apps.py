from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction survey")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from surveys.models import Questionnaire, SamplePopulation

        auditlog.register(Questionnaire)
        auditlog.register(SamplePopulation)

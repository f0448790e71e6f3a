from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction survey")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        import siputri.checks  # noqa: F401  (registers the deployment checks of SITE_URL)
        from surveys.models import Questionnaire, SamplePopulation

        auditlog.register(Questionnaire)
        auditlog.register(SamplePopulation)

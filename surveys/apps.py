from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction survey")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        import siputri.checks  # noqa: F401  (registers the deployment checks of SITE_URL)
        from surveys.models import Questionnaire, SamplePopulation, SuggestionAnswer

        auditlog.register(Questionnaire)
        auditlog.register(SamplePopulation)
        auditlog.register(SuggestionAnswer)

        from django.db.models.signals import post_delete, post_save

        from agencies.models import Agency
        from standards.models import Service
        from surveys.models import Element
        from surveys.stamps import catalog_changed

        # What the survey reads once per process (the questionnaire in use, published
        # services): any save or delete marks every process's copy stale.
        for model in (Agency, Service, Questionnaire, Element):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-{model.__name__}-save")
            post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-{model.__name__}-delete")

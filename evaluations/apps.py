from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from evaluations.models import Announcement, OperatorRequest, Recommendation, RecommendationAction

        auditlog.register(Recommendation, exclude_fields=["updated_at"])
        auditlog.register(RecommendationAction, exclude_fields=["updated_at"])
        auditlog.register(OperatorRequest, exclude_fields=["updated_at"])
        auditlog.register(Announcement)

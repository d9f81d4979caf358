from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "commonweal.tenders"
    label = "tenders"
    verbose_name = "Tenders and evaluation"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.tenders import models

        register(models.Tender, exclude=("share_token",))
        for model in (
            models.TenderInvitation,
            models.EvaluatorAssignment,
            models.ConflictDeclaration,
            models.EvaluationSignature,
            models.LineModeration,
            models.PlausibilityConfirmation,
            models.AnswerScore,
            models.ModeratedScore,
            models.OfferSubmission,
        ):
            register(model)

from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "commonweal.partnership"
    label = "partnership"
    verbose_name = "Partnership: charter, anchor networks and the combined authority's region"

    def ready(self) -> None:
        from commonweal.core.audit import register
        from commonweal.partnership import models

        for model in (
            models.Partnership,
            models.Coordinator,
            models.CharterVersion,
            models.Principle,
            models.Signatory,
            models.Pledge,
            models.PledgeCitation,
            models.ProgressReturn,
            models.ReturnMessage,
            models.ProgressEvidence,
            models.PartnershipNetwork,
            models.NetworkSharing,
            models.JointAction,
            models.RegionSharing,
            models.RegionSetAdoption,
        ):
            register(model)

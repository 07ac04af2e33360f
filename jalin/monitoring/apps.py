from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jalin.monitoring"

    def ready(self) -> None:
        from jalin.audit.registry import register

        for model in (
            "Obligation",
            "Indicator",
            "IndicatorPeriod",
            "BudgetLine",
            "ProgressReport",
            "ReportIndicatorValue",
            "ReportObligation",
            "BudgetRealisation",
            "Beneficiary",
            "Evaluation",
        ):
            register("monitoring", model, exclude=["updated_at", "created_at"])
        register("monitoring", "Evidence", exclude=["thumbnail"])

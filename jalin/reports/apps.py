from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "jalin.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from jalin.audit.registry import register
        from jalin.reports.letters import register_template_kind

        # Who asked for which report or export is on record; progress ticks are not.
        register("reports", "ReportJob", exclude=["progress", "started_at", "message", "size"])
        register("reports", "IssuedReport", exclude=["figures"])
        register("reports", "IssuedReportFile")

        register_template_kind()  # the cover letter a government may replace (jalin.letterheads)

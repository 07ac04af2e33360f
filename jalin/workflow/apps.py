from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "jalin.workflow"

    def ready(self) -> None:
        from jalin.audit.registry import register
        from jalin.workflow import reminders  # noqa: F401 - registers the overdue-step reminder source
        from jalin.workflow.drafts import register_template_kinds

        register("workflow", "Process", exclude=["updated_at", "created_at"])
        register("workflow", "StageChange")
        register("workflow", "ChecklistDocument")
        register("workflow", "ReviewComment")
        register("workflow", "TerminationRecord")
        register("workflow", "AmendmentRecord")
        register("workflow", "WorkflowSettings", exclude=["updated_at"])
        register_template_kinds()  # the draft templates a government may replace (jalin.letterheads)

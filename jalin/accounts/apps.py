from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jalin.accounts"

    def ready(self) -> None:
        from axes.models import AccessAttempt
        from axes.signals import user_locked_out
        from django.db.models.signals import post_delete

        from jalin.accounts import sessions, two_factor  # noqa: F401 (sessions connects its login signal)

        user_locked_out.connect(two_factor.on_user_locked_out, dispatch_uid="jalin-accounts-locked-out")
        post_delete.connect(
            two_factor.on_access_attempt_deleted, sender=AccessAttempt, dispatch_uid="jalin-accounts-unlocked"
        )

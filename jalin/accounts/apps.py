from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jalin.accounts"

    def ready(self) -> None:
        from axes.models import AccessAttempt
        from axes.signals import user_locked_out
        from django.db.models.signals import post_delete

        from jalin.accounts import two_factor
        from jalin.audit.registry import register

        register("accounts", "TOTPDevice", exclude=["secret"])
        user_locked_out.connect(two_factor.on_user_locked_out, dispatch_uid="jalin-accounts-locked-out")
        post_delete.connect(
            two_factor.on_access_attempt_deleted, sender=AccessAttempt, dispatch_uid="jalin-accounts-unlocked"
        )

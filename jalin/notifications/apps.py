from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jalin.notifications"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from jalin.notifications import reminders  # noqa: F401 - registers the expiry reminder source
        from jalin.notifications.counters import on_login

        user_logged_in.connect(on_login, dispatch_uid="jalin-notification-counts")

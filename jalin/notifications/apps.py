from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jalin.notifications"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from jalin.lib.handovers import handover, queue_changed_signal
        from jalin.notifications.counters import on_login, on_queue_changed
        from jalin.notifications.handovers import on_handover

        # Every installed app's reminders.py registers its reminder sources (jalin.lib.reminders).
        autodiscover_modules("reminders")
        user_logged_in.connect(on_login, dispatch_uid="jalin-notification-counts")
        handover.connect(on_handover, dispatch_uid="jalin-notify-handover")
        queue_changed_signal.connect(on_queue_changed, dispatch_uid="jalin-queue-changed")

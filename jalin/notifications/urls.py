from django.urls import path

from jalin.notifications import views

app_name = "notifications"
urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("app/notifications/", views.notification_list, name="list"),
    path("app/notifications/read/", views.mark_read, name="mark-read"),
    path("app/notifications/preferences/", views.preferences, name="preferences"),
    path("app/notifications/calendar-reset/", views.calendar_reset, name="calendar-reset"),
    path("whatsapp/webhook", views.whatsapp_webhook, name="whatsapp-webhook"),
]

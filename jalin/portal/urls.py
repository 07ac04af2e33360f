from django.urls import path

from jalin.portal import (
    converters,  # noqa: F401  (the <id:...> converter)
    views,
)
from jalin.portal.feeds import AgreementsFeed

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<id:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<id:pk>/feedback/", views.feedback_send, name="feedback-send"),
    path("g/<str:code>/", views.home, name="government"),
    path("g/<str:code>/agreements/", views.agreement_list, name="government-agreements"),
    path("g/<str:code>/feeds/agreements.atom", AgreementsFeed(), name="government-feed"),
    path("feedback/<id:pk>/photo", views.feedback_photo, name="feedback-photo"),
    path("feedback/follow/<str:token>/", views.feedback_follow, name="follow"),
    path("feedback/follow/<str:token>/photo", views.feedback_follow_photo, name="follow-photo"),
    path("feeds/agreements.atom", AgreementsFeed(), name="feed"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/agreements.csv", views.open_data_csv, name="open-data-csv"),
    path("open-data/agreements.json", views.open_data_json, name="open-data-json"),
    path("open-data/results.csv", views.open_data_results_csv, name="open-data-results-csv"),
    path("open-data/results.json", views.open_data_results_json, name="open-data-results-json"),
    path("app/feedback/", views.moderation_list, name="moderation"),
    path("app/feedback/<id:pk>/", views.moderate, name="moderate"),
]

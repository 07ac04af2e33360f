from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("jalin.core.urls")),
    path("app/", include("jalin.accounts.urls")),
    path("app/agreements/", include("jalin.agreements.urls")),
    path("app/partners/", include("jalin.partners.urls")),
    path("app/agencies/", include("jalin.governments.urls")),
    path("app/documents/", include("jalin.documents.urls")),
    path("app/audit/", include("jalin.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

from django.urls import path

from jalin.workflow import views

app_name = "workflow"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("workflow/propose/", views.proposal_new, name="propose"),
    path("workflow/settings/", views.settings_page, name="settings"),
    path("workflow/agreements/<int:pk>/", views.panel, name="panel"),
    path("workflow/<int:pk>/transition/<slug:name>/", views.transition, name="transition"),
    path("workflow/<int:pk>/comment/", views.comment, name="comment"),
    path("workflow/<int:pk>/attach/", views.attach, name="attach"),
    path("workflow/<int:pk>/answers/", views.answers, name="answers"),
    path("workflow/<int:pk>/draft/<slug:which>/", views.draft, name="draft"),
    path("workflow/agreements/<int:pk>/extend/", views.extend, name="extend"),
    path("workflow/agreements/<int:pk>/amend/", views.amend, name="amend"),
    path("workflow/agreements/<int:pk>/terminate/", views.terminate, name="terminate"),
]

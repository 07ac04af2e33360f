from django.http import HttpResponse


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def dashboard(request):
    """The staff home is the monitoring dashboard (jalin.monitoring.views.dashboard)."""
    from jalin.monitoring.views import dashboard as monitoring_dashboard

    return monitoring_dashboard(request)

"""The public portal (no login): home, published agreements, feedback, open data, the feed;
and the staff pages that moderate feedback. Views are thin: access, service or selector,
render."""

import csv
import json
import re
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts.decorators import staff_required
from jalin.agreements.models import Agreement
from jalin.governments.models import Government
from jalin.lib.client import client_ip
from jalin.lib.text import spreadsheet_cell
from jalin.partners.models import PartnerType
from jalin.portal import access, selectors, services
from jalin.portal.cache import cached
from jalin.portal.filters import PublicAgreementFilter
from jalin.portal.forms import AnswerForm, FeedbackForm, ModerationForm, ReclassifyForm
from jalin.portal.models import Feedback, FeedbackStatus

_CODE = re.compile(r"[0-9A-Za-z.]{1,16}")


def _government(code: str | None) -> Government | None:
    if code is None:
        return None
    if not _CODE.fullmatch(code):  # never send junk (such as NUL bytes) to the database
        raise Http404
    return get_object_or_404(Government, code=code)


def home(request, code=None):
    if code is None and request.GET.get("g"):  # the government picker
        code = request.GET["g"]
        government = Government.objects.filter(code=code).first() if _CODE.fullmatch(code) else None
        return redirect("portal:government", code=government.code) if government else redirect("portal:home")
    government = _government(code)
    pk = government.pk if government else None
    figures = cached("home", pk, build=lambda: selectors.home_figures(government))
    context = {
        "government": government,
        "figures": figures,
        "affair_rows": [
            {"label": f"{row['affair__code']} {row['affair__name']}", "count": row["count"]}
            for row in figures["by_affair"]
        ],
        "partner_type_rows": [
            {"label": PartnerType(row["partner__partner_type"]).label, "count": row["count"]}
            for row in figures["by_partner_type"]
        ],
        "year_rows": [{"label": row["year"], "count": row["count"]} for row in figures["by_year"]],
        "governments": cached("governments", build=selectors.portal_governments),
        "expiring_days": settings.EXPIRING_WITHIN_DAYS,
    }
    return render(request, "portal/home.html", context)


def agreement_list(request, code=None):
    government = _government(code)
    filterset = PublicAgreementFilter(
        request.GET, queryset=selectors.published_agreements(government), government=government
    )
    page_number = request.GET.get("page") or "1"
    page_number = int(page_number) if page_number.isdigit() and len(page_number) < 7 else 1
    if not filterset.is_valid():
        data = {"count": 0, "rows": [], "num_pages": 1, "page": 1}
    else:

        def build():
            queryset = filterset.qs
            paginator = Paginator(queryset, settings.PORTAL_PAGE_SIZE)
            total = paginator.count
            page = min(max(page_number, 1), paginator.num_pages)
            start = (page - 1) * settings.PORTAL_PAGE_SIZE
            rows = list(selectors.with_public_relations(queryset)[start : start + settings.PORTAL_PAGE_SIZE])
            return {"count": total, "rows": rows, "num_pages": paginator.num_pages, "page": page}

        params = sorted((key, value) for key, value in request.GET.items() if key != "page")
        data = cached("list", government.pk if government else None, params, page_number, build=build)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "government": government,
        "filter": filterset,
        "data": data,
        "query": query.urlencode(),
    }
    return render(request, "portal/agreement_list.html", context)


def _detail_data(pk):
    def build():
        try:
            agreement = selectors.public_agreement(pk)
        except (Agreement.DoesNotExist, ValueError, TypeError):
            return {"missing": True}
        return {
            "agreement": agreement,
            "children": selectors.public_children(agreement),
            "feedback": selectors.public_feedback(agreement),
        }

    data = cached("detail", pk, build=build)
    if data.get("missing"):
        raise Http404
    return data


def agreement_detail(request, pk):
    data = _detail_data(pk)
    return render(request, "portal/agreement_detail.html", {**data, "form": FeedbackForm()})


def feedback_send(request, pk):
    if request.method != "POST":
        return redirect("portal:agreement", pk=pk)
    data = _detail_data(pk)
    form = FeedbackForm(request.POST, request.FILES)
    status = 200
    if form.is_valid():
        if form.cleaned_data["website"]:
            # A bot filled the honeypot: answer as if it worked, store nothing.
            return render(request, "portal/feedback_sent.html", {"agreement": data["agreement"], "follow_url": None})
        try:
            submitted = services.feedback_submit(
                agreement_id=data["agreement"].pk,
                fields=form.cleaned_data,
                sender_address=client_ip(request) or "",
                photo=form.cleaned_data.get("photo"),
            )
        except services.RateLimited:
            form.add_error(None, _("Too many messages from your connection. Please try again later."))
            status = 429
        except ValidationError as error:
            _add_errors(form, error)
            status = 400
        else:
            follow_url = request.build_absolute_uri(reverse("portal:follow", args=[submitted.follow_token]))
            return render(
                request, "portal/feedback_sent.html", {"agreement": data["agreement"], "follow_url": follow_url}
            )
    else:
        status = 400
    return render(request, "portal/agreement_detail.html", {**data, "form": form, "form_open": True}, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


def feedback_follow(request, token):
    feedback = services.feedback_by_token(token)
    if feedback is None:
        raise Http404
    response = render(request, "portal/feedback_follow.html", {"feedback": feedback, "token": token})
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _photo_response(feedback: Feedback):
    if not feedback.photo:
        raise Http404
    response = FileResponse(feedback.photo.open("rb"), content_type=feedback.photo_content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def feedback_photo(request, pk):
    """A published feedback photo; unpublished ones only for the staff who may see them."""
    public = Feedback.objects.filter(
        pk=pk if str(pk).isdigit() else 0,
        status=FeedbackStatus.PUBLISHED,
        agreement__in=selectors.published_agreements(),
    ).first()
    feedback = public or access.feedback_for_user(request.user, pk)
    return _photo_response(feedback)


def feedback_follow_photo(request, token):
    feedback = services.feedback_by_token(token)
    if feedback is None:
        raise Http404
    return _photo_response(feedback)


# Open data ------------------------------------------------------------------------------


def _open_data_rows(request):
    code = request.GET.get("government")
    government = _government(code) if code else None

    def build():
        base = request.build_absolute_uri("/")[:-1]
        queryset = selectors.with_public_relations(selectors.published_agreements(government)).order_by("pk")
        return [selectors.public_record(agreement, base) for agreement in queryset]

    return government, cached("open-data", government.pk if government else None, build=build)


def open_data(request):
    return render(
        request,
        "portal/open_data.html",
        {
            "fields": selectors.PUBLIC_AGREEMENT_FIELDS,
            "result_fields": selectors.PUBLIC_RESULT_FIELDS,
            "licence": settings.OPEN_DATA_LICENCE,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "governments": cached("governments", build=selectors.portal_governments),
        },
    )


def open_data_json(request):
    government, rows = _open_data_rows(request)
    payload = {
        "title": "Jalin — published cooperation agreements",
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "publisher": government.name if government else None,
        "generated_at": timezone.now().isoformat(),
        "schema": request.build_absolute_uri(reverse("portal:open-data")) + "#schema",
        "count": len(rows),
        "agreements": rows,
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response.headers["Content-Disposition"] = 'inline; filename="jalin-agreements.json"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


class _Echo:
    def write(self, value):
        return value


def _csv_value(value) -> str:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append(" / ".join(str(v) for v in item.values() if v not in (None, "")))
            else:
                parts.append(str(item))
        text = "; ".join(parts)
    elif isinstance(value, int | float | Decimal):  # numbers stay numbers
        return str(value)
    else:
        text = "" if value is None else str(value)
    return spreadsheet_cell(text)


def open_data_csv(request):
    rows = _open_data_rows(request)[1]
    fields = [*selectors.PUBLIC_AGREEMENT_FIELDS, "licence"]
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that spreadsheet programs read UTF-8
        yield writer.writerow(fields)
        for row in rows:
            yield writer.writerow(
                [_csv_value(row[name]) for name in selectors.PUBLIC_AGREEMENT_FIELDS] + [settings.OPEN_DATA_LICENCE]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="jalin-agreements.csv"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _results_source(request):
    code = request.GET.get("government")
    government = _government(code) if code else None
    base = request.build_absolute_uri("/")[:-1]
    return government, selectors.public_results(government, base)


def open_data_results_json(request):
    """The published results, streamed record by record (memory stays bounded; not cached)."""
    government, records = _results_source(request)
    head = {
        "title": "Jalin — results of published cooperation agreements",
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "publisher": government.name if government else None,
        "generated_at": timezone.now().isoformat(),
        "schema": request.build_absolute_uri(reverse("portal:open-data")) + "#results-schema",
    }

    def chunks():
        yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "results": ['
        count = 0
        for record in records:
            yield ("," if count else "") + "\n  " + json.dumps(record, ensure_ascii=False)
            count += 1
        yield f'\n ],\n "count": {count}\n}}\n'

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="jalin-results.json"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_results_csv(request):
    records = _results_source(request)[1]
    fields = [*selectors.PUBLIC_RESULT_FIELDS, "licence"]
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(fields)
        for record in records:
            yield writer.writerow(
                [_csv_value(record[name]) for name in selectors.PUBLIC_RESULT_FIELDS] + [settings.OPEN_DATA_LICENCE]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="jalin-results.csv"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# Staff: moderation ----------------------------------------------------------------------


@staff_required
def moderation_list(request):
    status = request.GET.get("status") or FeedbackStatus.PENDING
    if status not in FeedbackStatus.values and status != "all":
        status = FeedbackStatus.PENDING
    queryset = access.feedback_visible_to(request.user).select_related("agreement", "agreement__lead_agency")
    if status != "all":
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("-created_at", "-pk"), 30).get_page(request.GET.get("page"))
    counts = selectors.count_feedback(access.feedback_visible_to(request.user))
    return render(
        request,
        "portal/moderation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": FeedbackStatus.choices,
            "counts": counts,
            "querystring": f"status={status}",
        },
    )


@staff_required
def moderate(request, pk):
    feedback = access.feedback_for_user(request.user, pk)
    can_moderate = access.can_moderate_feedback(request.user, feedback)
    forms = {
        "moderate": ModerationForm(),  # nothing preselected: publishing is a deliberate choice
        "reclassify": ReclassifyForm(initial={"kind": feedback.kind}),
        "answer": AnswerForm(initial={"answer": feedback.answer}),
    }
    if request.method == "POST":
        if not can_moderate:
            raise PermissionDenied
        action = request.POST.get("action")
        if action in forms:
            saved = _moderation_action(request, feedback, action, forms)
            if saved:
                messages.success(request, saved)
                return redirect("portal:moderate", pk=feedback.pk)
    return render(
        request,
        "portal/moderate.html",
        {
            "feedback": feedback,
            "can_moderate": can_moderate,
            "moderation_form": forms["moderate"],
            "reclassify_form": forms["reclassify"],
            "answer_form": forms["answer"],
        },
    )


def _moderation_action(request, feedback, action: str, forms: dict) -> str:
    """Bind the posted form of one moderation action and call its service; the success
    message, or "" with the errors on the form."""
    form_class = {"moderate": ModerationForm, "reclassify": ReclassifyForm, "answer": AnswerForm}[action]
    form = forms[action] = form_class(request.POST)
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    try:
        if action == "moderate":
            services.feedback_moderate(
                actor=request.user, feedback=feedback, decision=data["decision"], note=data["note"]
            )
            return _("The moderation decision was saved.")
        if action == "reclassify":
            services.feedback_reclassify(actor=request.user, feedback=feedback, kind=data["kind"])
            return _("The feedback was reclassified.")
        services.feedback_answer(actor=request.user, feedback=feedback, answer=data["answer"])
        return _("The answer is published.")
    except ValidationError as error:
        _add_errors(form, error)
        return ""

"""Progress reports through the API: the monitoring app's access functions
(jalin.monitoring.access) and services (jalin.monitoring.services), nothing re-implemented."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from jalin.accounts import access
from jalin.api.errors import bilingual
from jalin.api.permissions import IsStaffMember
from jalin.api.serializers import ErrorSerializer
from jalin.monitoring import access as monitoring_access
from jalin.monitoring import services as monitoring_services
from jalin.monitoring.models import ProgressReport, ReportIndicatorValue, ReportStatus
from jalin.monitoring.periods import period_starting

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
AMOUNT = {"max_digits": 18, "decimal_places": 2}


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField(source="agreement_id")
    period_starts_on = serializers.DateField()
    period_ends_on = serializers.DateField()
    period_label = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    summary = serializers.CharField()
    problems = serializers.CharField()
    follow_up = serializers.CharField()
    returned_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    indicator_values = serializers.SerializerMethodField()
    obligation_updates = serializers.SerializerMethodField()
    realisations = serializers.SerializerMethodField()
    beneficiaries = serializers.SerializerMethodField()

    def _detail(self, report, name):
        cache = getattr(report, "_prefetched_objects_cache", {})
        return cache.get(name) if name in cache else getattr(report, name).all()

    def get_indicator_values(self, report) -> dict:
        return {str(row.indicator_id): str(row.value) for row in self._detail(report, "indicator_values")}

    def get_obligation_updates(self, report) -> dict:
        return {
            str(row.obligation_id): {"status": row.status, "met_on": row.met_on.isoformat() if row.met_on else None}
            for row in self._detail(report, "obligation_updates")
        }

    def get_realisations(self, report) -> dict:
        return {str(row.budget_line_id): str(row.amount) for row in self._detail(report, "budget_realisations")}

    def get_beneficiaries(self, report) -> list:
        return [
            {"group": row.group, "count": row.count, "method": row.method}
            for row in self._detail(report, "beneficiaries")
        ]


class ObligationUpdateSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=12, allow_blank=True)
    met_on = serializers.DateField(allow_null=True, required=False)


class BeneficiarySerializer(serializers.Serializer):
    group = serializers.CharField(max_length=12)
    count = serializers.IntegerField(min_value=0, max_value=10**9)
    method = serializers.CharField(max_length=300, allow_blank=True)


class ReportWriteSerializer(serializers.Serializer):
    """The draft's content (PATCH). Keys of the dictionaries are ids of the agreement's
    indicators, obligations and budget lines; a null value removes it from the report."""

    summary = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    problems = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    follow_up = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    indicator_values = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True), required=False
    )
    obligation_updates = serializers.DictField(child=ObligationUpdateSerializer(), required=False)
    realisations = serializers.DictField(child=serializers.DecimalField(**AMOUNT, allow_null=True), required=False)
    beneficiaries = BeneficiarySerializer(many=True, required=False, max_length=50)


class ReportStartSerializer(serializers.Serializer):
    period_starts_on = serializers.DateField(help_text="First day of a reporting period.")


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)


def _detail(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.prefetch_related(
        Prefetch("indicator_values", queryset=ReportIndicatorValue.objects.all()),
        "obligation_updates",
        "budget_realisations",
        "beneficiaries",
    ).get(pk=report.pk)


def _ids(mapping: dict, field: str) -> dict:
    out = {}
    for key, value in mapping.items():
        if not str(key).isdigit() or len(str(key)) > 18:
            raise ValidationError({field: _("Keys must be ids.")})
        out[int(key)] = value
    return out


class AgreementReports(GenericAPIView):
    """An agreement's progress reports; POST opens the draft for a period."""

    permission_classes = [IsStaffMember]
    serializer_class = ReportSerializer

    @extend_schema(
        operation_id="reports_list", responses={200: ReportSerializer(many=True), **ERRORS}, tags=["reports"]
    )
    def get(self, request, pk):
        agreement = access.agreement_for_user(request.user, pk)
        queryset = (
            ProgressReport.objects.filter(agreement=agreement)
            .prefetch_related("indicator_values", "obligation_updates", "budget_realisations", "beneficiaries")
            .order_by("-period_starts_on", "-version")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="reports_start",
        request=ReportStartSerializer,
        responses={201: ReportSerializer, **ERRORS},
        tags=["reports"],
    )
    def post(self, request, pk):
        agreement = access.agreement_for_user(request.user, pk)

        def start():
            serializer = ReportStartSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            period = period_starting(serializer.validated_data["period_starts_on"])
            if period is None:
                raise ValidationError({"period_starts_on": _("No reporting period starts on this day.")})
            return monitoring_services.report_start(actor=request.user, agreement=agreement, period=period)

        report = bilingual(start)
        return Response(ReportSerializer(_detail(report)).data, status=status.HTTP_201_CREATED)


class ReportDetail(GenericAPIView):
    permission_classes = [IsStaffMember]
    serializer_class = ReportSerializer

    @extend_schema(operation_id="reports_detail", responses={200: ReportSerializer, **ERRORS}, tags=["reports"])
    def get(self, request, pk):
        report = monitoring_access.report_for_user(request.user, pk)
        return Response(ReportSerializer(_detail(report)).data)

    @extend_schema(
        operation_id="reports_save",
        request=ReportWriteSerializer,
        responses={200: ReportSerializer, **ERRORS},
        tags=["reports"],
    )
    def patch(self, request, pk):
        report = monitoring_access.report_for_user(request.user, pk, write=True)

        def save():
            serializer = ReportWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            obligations = _ids(data.get("obligation_updates", {}), "obligation_updates")
            return monitoring_services.report_save(
                actor=request.user,
                report=report,
                summary=data.get("summary", report.summary),
                problems=data.get("problems", report.problems),
                follow_up=data.get("follow_up", report.follow_up),
                indicator_values=_ids(data.get("indicator_values", {}), "indicator_values"),
                obligation_updates={pk: (item["status"], item.get("met_on")) for pk, item in obligations.items()},
                realisations=_ids(data.get("realisations", {}), "realisations"),
                beneficiaries=(
                    [monitoring_services.BeneficiaryInput(**item) for item in data["beneficiaries"]]
                    if "beneficiaries" in data
                    else None
                ),
            )

        bilingual(save)
        return Response(ReportSerializer(_detail(report)).data)


def _action(name: str, call, request_serializer=None):
    class ReportAction(GenericAPIView):
        permission_classes = [IsStaffMember]
        serializer_class = ReportSerializer

        @extend_schema(
            operation_id=f"reports_{name}",
            request=request_serializer or inline_serializer(f"Report{name.capitalize()}", fields={}),
            responses={200: ReportSerializer, **ERRORS},
            tags=["reports"],
        )
        def post(self, request, pk):
            report = monitoring_access.report_for_user(request.user, pk)

            def run():
                data = {}
                if request_serializer is not None:
                    serializer = request_serializer(data=request.data)
                    serializer.is_valid(raise_exception=True)
                    data = serializer.validated_data
                return call(actor=request.user, report=report, **data)

            bilingual(run)
            return Response(ReportSerializer(_detail(report)).data)

    ReportAction.__name__ = f"Report{name.capitalize()}"
    return ReportAction


ReportSubmit = _action("submit", monitoring_services.report_submit)
ReportVerify = _action("verify", monitoring_services.report_verify)
ReportReturn = _action("return", monitoring_services.report_return, ReturnSerializer)

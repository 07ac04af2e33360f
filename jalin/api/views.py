"""API v1 views. Thin: access function, then service or selector, then serializer.

Every staff endpoint goes through jalin.accounts.access (agreements_visible_to,
agreement_for_user, partners_visible_to, partner_for_user...) and writes only through
jalin.agreements.services / jalin.partners.services, exactly like the HTML pages.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements import selectors as agreement_selectors
from jalin.agreements import services as agreement_services
from jalin.agreements.filters import AgreementFilter
from jalin.agreements.models import Agreement
from jalin.api.errors import bilingual
from jalin.api.permissions import IsStaffMember
from jalin.api.serializers import (
    AgreementSerializer,
    AgreementWriteSerializer,
    ErrorSerializer,
    PartnerSerializer,
    PartnerWriteSerializer,
    PublicAgreementSerializer,
    PublicFeedbackSerializer,
)
from jalin.governments.models import Affair, Government
from jalin.partners import services as partner_services
from jalin.partners.models import Partner, PartnerType
from jalin.portal import selectors as portal_selectors
from jalin.portal.filters import PublicAgreementFilter

PAGING = {"page", "page_size"}
READ_ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _filter_parameters(filterset_class) -> list[OpenApiParameter]:
    names = list(filterset_class.base_filters)
    return [
        OpenApiParameter(name, OpenApiTypes.STR, description=str(filterset_class.base_filters[name].label or name))
        for name in names
    ]


def _check_parameters(request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            {"request": _("Unknown query parameter(s): %(names)s.") % {"names": ", ".join(unknown[:10])}}
        )


def _filtered(request, filterset_factory, allowed: set[str]):
    def run():
        _check_parameters(request, allowed)
        filterset = filterset_factory()
        if not filterset.is_valid():
            raise ValidationError(filterset.form.errors.as_data())
        return filterset.qs

    return bilingual(run)


# Public --------------------------------------------------------------------------------


class PublicAgreementList(GenericAPIView):
    """Published agreements (no authentication). Filter and order with the parameters below."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicAgreementSerializer

    @extend_schema(
        operation_id="public_agreements_list",
        parameters=_filter_parameters(PublicAgreementFilter),
        responses={200: PublicAgreementSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
        tags=["public"],
    )
    def get(self, request):
        allowed = set(PublicAgreementFilter.base_filters) | PAGING
        queryset = _filtered(
            request,
            lambda: PublicAgreementFilter(request.query_params, queryset=portal_selectors.published_agreements()),
            allowed,
        )
        page = self.paginate_queryset(portal_selectors.with_public_relations(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PublicAgreementDetail(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicAgreementSerializer

    @extend_schema(
        operation_id="public_agreements_detail",
        responses={200: PublicAgreementSerializer, 404: ErrorSerializer},
        tags=["public"],
    )
    def get(self, request, pk):
        try:
            agreement = portal_selectors.public_agreement(pk)
        except Agreement.DoesNotExist:
            raise Http404 from None
        return Response(self.get_serializer(agreement).data)


class PublicFeedbackList(GenericAPIView):
    """Moderated citizen feedback of a published agreement, with the public answers."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicFeedbackSerializer

    @extend_schema(
        operation_id="public_agreements_feedback",
        responses={200: PublicFeedbackSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
        tags=["public"],
    )
    def get(self, request, pk):
        _check_parameters_plain(request, PAGING)
        agreement = portal_selectors.published_agreements().filter(pk=pk).first()
        if agreement is None:
            raise Http404
        page = self.paginate_queryset(portal_selectors.public_feedback(agreement))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _check_parameters_plain(request, allowed):
    bilingual(lambda: _check_parameters(request, allowed))


# Staff: agreements ---------------------------------------------------------------------


def _resolve(user: User, data: dict, current: Agreement | None = None):
    """Turn the ids of the request into objects the user may see (unknown ids are field
    errors), starting from the agreement's current values for a partial update."""
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    if current is not None:
        fields = {name: getattr(current, name) for name in agreement_services.EDITABLE_FIELDS}
        parties = [
            agreement_services.PartyInput(
                partner=party.partner,
                party_number=party.party_number,
                signatory_name=party.signatory_name,
                signatory_title=party.signatory_title,
            )
            for party in current.parties.select_related("partner")
        ]
        supporting = list(current.supporting_agencies.all())
        affairs = list(current.affairs.all())
    else:
        parties, supporting, affairs = [], [], []
    plain = {
        key: value
        for key, value in data.items()
        if key
        not in ("lead_agency", "liaison_officer", "parent", "predecessor", "parties", "supporting_agencies", "affairs")
    }
    for key, value in plain.items():
        fields[key] = "" if value is None and key not in ("signed_on", "effective_on", "ends_on", "value") else value

    agencies = access.agencies_visible_to(user)
    if "lead_agency" in data:
        fields["lead_agency"] = agencies.filter(pk=data["lead_agency"]).first()
        if fields["lead_agency"] is None:
            errors.setdefault("lead_agency", []).append(_("Unknown agency."))
    if "supporting_agencies" in data:
        wanted = list(dict.fromkeys(data["supporting_agencies"]))
        supporting = list(agencies.filter(pk__in=wanted))
        if len(supporting) != len(wanted):
            errors.setdefault("supporting_agencies", []).append(_("Unknown agency."))
    if "affairs" in data:
        wanted = list(dict.fromkeys(data["affairs"]))
        affairs = list(Affair.objects.filter(code__in=wanted))
        if len(affairs) != len(wanted):
            errors.setdefault("affairs", []).append(_("Unknown government affair code."))
    if "liaison_officer" in data:
        if data["liaison_officer"] is None:
            fields["liaison_officer"] = None
        else:
            fields["liaison_officer"] = (
                access.liaison_officers_of(user.government_id).filter(pk=data["liaison_officer"]).first()
            )
            if fields["liaison_officer"] is None:
                errors.setdefault("liaison_officer", []).append(_("Unknown user."))
    visible = access.agreements_visible_to(user)
    for link in ("parent", "predecessor"):
        if link in data:
            if data[link] is None:
                fields[link] = None
            else:
                fields[link] = visible.filter(pk=data[link]).first()
                if fields[link] is None:
                    errors.setdefault(link, []).append(_("Unknown agreement."))
    if "parties" in data:
        partners = access.partners_visible_to(user).in_bulk([item["partner"] for item in data["parties"]])
        parties = []
        for index, item in enumerate(data["parties"]):
            partner = partners.get(item["partner"])
            if partner is None:
                errors.setdefault(f"parties[{index}].partner", []).append(_("Unknown partner."))
                continue
            parties.append(
                agreement_services.PartyInput(
                    partner=partner,
                    party_number=item.get("party_number", ""),
                    signatory_name=item.get("signatory_name", ""),
                    signatory_title=item.get("signatory_title", ""),
                )
            )
    if errors:
        raise ValidationError(errors)
    return fields, parties, supporting, affairs


def _agreement_out(request, agreement: Agreement) -> dict:
    detail = agreement_selectors.agreement_detail(access.agreements_visible_to(request.user), agreement.pk)
    return AgreementSerializer(detail, context={"request": request}).data


class AgreementList(GenericAPIView):
    """Agreements the token's user may see (jalin.accounts.access), with the staff list's filters."""

    permission_classes = [IsStaffMember]
    serializer_class = AgreementSerializer

    @extend_schema(
        operation_id="agreements_list",
        parameters=_filter_parameters(AgreementFilter),
        responses={200: AgreementSerializer(many=True), **READ_ERRORS},
        tags=["agreements"],
    )
    def get(self, request):
        allowed = set(AgreementFilter.base_filters) | PAGING
        queryset = _filtered(
            request,
            lambda: AgreementFilter(
                request.query_params, queryset=access.agreements_visible_to(request.user), user=request.user
            ),
            allowed,
        )
        queryset = (
            agreement_selectors.with_list_relations(queryset)
            .select_related("government", "parent")
            .prefetch_related("affairs", "supporting_agencies")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="agreements_create",
        request=AgreementWriteSerializer,
        responses={201: AgreementSerializer, **READ_ERRORS},
        tags=["agreements"],
    )
    def post(self, request):
        def create():
            serializer = AgreementWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            fields, parties, supporting, affairs = _resolve(request.user, serializer.validated_data)
            return agreement_services.agreement_create(
                actor=request.user, fields=fields, parties=parties, supporting_agencies=supporting, affairs=affairs
            )

        agreement = bilingual(create)
        return Response(_agreement_out(request, agreement), status=status.HTTP_201_CREATED)


class AgreementDetail(GenericAPIView):
    permission_classes = [IsStaffMember]
    serializer_class = AgreementSerializer

    @extend_schema(
        operation_id="agreements_detail", responses={200: AgreementSerializer, **READ_ERRORS}, tags=["agreements"]
    )
    def get(self, request, pk):
        agreement = access.agreement_for_user(request.user, pk)
        return Response(_agreement_out(request, agreement))

    def _update(self, request, pk, partial: bool):
        agreement = access.agreement_for_user(request.user, pk, write=True)

        def update():
            serializer = AgreementWriteSerializer(data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            fields, parties, supporting, affairs = _resolve(request.user, serializer.validated_data, current=agreement)
            return agreement_services.agreement_update(
                actor=request.user,
                agreement=agreement,
                fields=fields,
                parties=parties,
                supporting_agencies=supporting,
                affairs=affairs,
            )

        bilingual(update)
        return Response(_agreement_out(request, agreement))

    @extend_schema(
        operation_id="agreements_update",
        request=AgreementWriteSerializer,
        responses={200: AgreementSerializer, **READ_ERRORS},
        tags=["agreements"],
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="agreements_partial_update",
        request=AgreementWriteSerializer,
        responses={200: AgreementSerializer, **READ_ERRORS},
        tags=["agreements"],
    )
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)


# Staff: partners -----------------------------------------------------------------------


def _partner_fields(data: dict) -> dict:
    fields = {key: value for key, value in data.items() if key not in ("allow_duplicate", "region")}
    if "region" in data:
        code = data["region"]
        fields["region"] = Government.objects.filter(code=code).first() if code else None
        if code and fields["region"] is None:
            raise ValidationError({"region": _("Unknown region code.")})
    return fields


class PartnerList(GenericAPIView):
    permission_classes = [IsStaffMember]
    serializer_class = PartnerSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name contains"),
            OpenApiParameter("partner_type", OpenApiTypes.STR, enum=PartnerType.values),
            OpenApiParameter("archived", OpenApiTypes.BOOL),
            OpenApiParameter("ordering", OpenApiTypes.STR, enum=["name", "-name", "created_at", "-created_at"]),
        ],
        operation_id="partners_list",
        responses={200: PartnerSerializer(many=True), **READ_ERRORS},
        tags=["partners"],
    )
    def get(self, request):
        def run():
            _check_parameters(request, {"q", "partner_type", "archived", "ordering"} | PAGING)
            queryset = access.partners_visible_to(request.user).select_related("government", "region")
            params = request.query_params
            if params.get("q"):
                queryset = queryset.filter(name__icontains=params["q"][:100].replace("\x00", ""))
            if params.get("partner_type"):
                if params["partner_type"] not in PartnerType.values:
                    raise ValidationError({"partner_type": _("Unknown partner type.")})
                queryset = queryset.filter(partner_type=params["partner_type"])
            archived = params.get("archived", "false").lower()
            if archived not in ("true", "false", "1", "0"):
                raise ValidationError({"archived": _("Use true or false.")})
            queryset = queryset.filter(archived_at__isnull=archived in ("false", "0"))
            ordering = params.get("ordering", "name")
            if ordering not in ("name", "-name", "created_at", "-created_at"):
                raise ValidationError({"ordering": _("Order by name, -name, created_at or -created_at.")})
            return queryset.order_by(ordering, "pk")

        page = self.paginate_queryset(bilingual(run))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="partners_create",
        request=PartnerWriteSerializer,
        responses={201: PartnerSerializer, **READ_ERRORS},
        tags=["partners"],
    )
    def post(self, request):
        def create():
            serializer = PartnerWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            return partner_services.partner_create(
                actor=request.user, fields=_partner_fields(data), allow_duplicate=data.get("allow_duplicate", False)
            )

        partner = bilingual(create)
        partner = Partner.objects.select_related("government", "region").get(pk=partner.pk)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


class PartnerDetail(GenericAPIView):
    permission_classes = [IsStaffMember]
    serializer_class = PartnerSerializer

    @extend_schema(operation_id="partners_detail", responses={200: PartnerSerializer, **READ_ERRORS}, tags=["partners"])
    def get(self, request, pk):
        partner = access.partner_for_user(request.user, pk)
        partner = Partner.objects.select_related("government", "region").get(pk=partner.pk)
        return Response(PartnerSerializer(partner).data)

    @extend_schema(
        operation_id="partners_partial_update",
        request=PartnerWriteSerializer,
        responses={200: PartnerSerializer, **READ_ERRORS},
        tags=["partners"],
    )
    def patch(self, request, pk):
        partner = access.partner_for_user(request.user, pk, write=True)

        def update():
            serializer = PartnerWriteSerializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            fields = {name: getattr(partner, name) for name in partner_services.EDITABLE_FIELDS}
            fields.update(_partner_fields(data))
            return partner_services.partner_update(
                actor=request.user, partner=partner, fields=fields, allow_duplicate=data.get("allow_duplicate", False)
            )

        bilingual(update)
        partner = Partner.objects.select_related("government", "region").get(pk=partner.pk)
        return Response(PartnerSerializer(partner).data)

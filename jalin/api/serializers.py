"""API representations. Input serializers only check shapes and types; every rule lives in
the services (jalin.agreements.services, jalin.partners.services), which the views call."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jalin.agreements.models import Category, Financing, Kind, Status, TerminationGround
from jalin.partners.models import PartnerType
from jalin.portal import selectors

MAX_ID = 2**62


def IdField(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# Public --------------------------------------------------------------------------------


class PublicAffairSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicPartySerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=PartnerType.choices)
    country = serializers.CharField()
    party_number = serializers.CharField()
    signatory_title = serializers.CharField()


class PublicAgreementSerializer(serializers.Serializer):
    """A published agreement: the open-data record (see docs/portal.md for the schema)."""

    id = serializers.IntegerField()
    government_code = serializers.CharField()
    government_name = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    object = serializers.CharField()
    scope = serializers.CharField()
    affairs = PublicAffairSerializer(many=True)
    lead_agency = serializers.CharField()
    supporting_agencies = serializers.ListField(child=serializers.CharField())
    partners = PublicPartySerializer(many=True)
    signed_on = serializers.DateField(allow_null=True)
    effective_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    financing = serializers.ChoiceField(choices=Financing.choices)
    value = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    intended_benefits = serializers.CharField()
    terminated_on = serializers.DateField(allow_null=True)
    termination_ground = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    predecessor_id = serializers.IntegerField(allow_null=True)
    published_feedback = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    url = serializers.URLField()

    def to_representation(self, instance):
        request = self.context.get("request")
        base = request.build_absolute_uri("/")[:-1] if request else ""
        return selectors.public_record(instance, base)


class PublicFeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    message = serializers.CharField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


# Staff: agreements ---------------------------------------------------------------------


class PartySerializer(serializers.Serializer):
    partner = IdField()
    partner_name = serializers.CharField(read_only=True, source="partner.name")
    party_number = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    signatory_name = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    signatory_title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")

    def to_representation(self, party):
        return {
            "partner": party.partner_id,
            "partner_name": party.partner.name,
            "party_number": party.party_number,
            "signatory_name": party.signatory_name,
            "signatory_title": party.signatory_title,
        }


class AgreementSerializer(serializers.Serializer):
    """An agreement as staff see it (read)."""

    id = serializers.IntegerField(read_only=True)
    government = serializers.CharField(source="government.code", read_only=True)
    category = serializers.ChoiceField(choices=Category.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    number = serializers.CharField()
    title = serializers.CharField()
    object = serializers.CharField()
    scope = serializers.CharField()
    affairs = serializers.SerializerMethodField(help_text=_("Affair codes."))
    parties = PartySerializer(many=True, read_only=True)
    our_signatory_name = serializers.CharField()
    our_signatory_title = serializers.CharField()
    power_of_attorney_ref = serializers.CharField()
    lead_agency = serializers.IntegerField(source="lead_agency_id")
    supporting_agencies = serializers.SerializerMethodField(help_text=_("Agency ids."))
    liaison_officer = serializers.IntegerField(source="liaison_officer_id", allow_null=True)
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    predecessor = serializers.IntegerField(source="predecessor_id", allow_null=True)
    signed_on = serializers.DateField(allow_null=True)
    effective_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    longer_term_basis = serializers.CharField()
    financing = serializers.ChoiceField(choices=Financing.choices)
    value = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    dprd_approval_ref = serializers.CharField()
    central_approval_ref = serializers.CharField()
    intended_benefits = serializers.CharField()
    is_public = serializers.BooleanField()
    status = serializers.CharField(read_only=True)
    terminated_on = serializers.DateField(read_only=True, allow_null=True)
    termination_ground = serializers.ChoiceField(choices=TerminationGround.choices, read_only=True)
    archived_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_affairs(self, agreement) -> list[str]:
        return [affair.code for affair in agreement.affairs.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_supporting_agencies(self, agreement) -> list[int]:
        return [agency.pk for agency in agreement.supporting_agencies.all()]


def _text(limit: int | None = None):
    return serializers.CharField(max_length=limit, allow_blank=True, required=False, trim_whitespace=True)


class AgreementWriteSerializer(serializers.Serializer):
    """Create (all required fields) or update (PATCH: only the fields sent) an agreement.
    Lists (parties, supporting_agencies, affairs) replace the current ones when sent."""

    category = serializers.ChoiceField(choices=Category.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    number = _text(120)
    title = serializers.CharField(max_length=500)
    object = _text()
    scope = _text()
    affairs = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, max_length=100, help_text=_("Affair codes.")
    )
    parties = PartySerializer(many=True, max_length=50)
    our_signatory_name = _text(200)
    our_signatory_title = _text(200)
    power_of_attorney_ref = _text(200)
    lead_agency = IdField()
    supporting_agencies = serializers.ListField(child=IdField(), required=False, max_length=100)
    liaison_officer = IdField(allow_null=True, required=False)
    parent = IdField(allow_null=True, required=False)
    predecessor = IdField(allow_null=True, required=False)
    signed_on = serializers.DateField(allow_null=True, required=False)
    effective_on = serializers.DateField(allow_null=True, required=False)
    ends_on = serializers.DateField(allow_null=True, required=False)
    longer_term_basis = _text()
    financing = serializers.ChoiceField(choices=Financing.choices, required=False)
    value = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0, allow_null=True, required=False)
    dprd_approval_ref = _text(200)
    central_approval_ref = _text(200)
    intended_benefits = _text()
    is_public = serializers.BooleanField(required=False)


# Staff: partners -----------------------------------------------------------------------


class PartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    government = serializers.CharField(source="government.code", read_only=True)
    name = serializers.CharField(max_length=255)
    partner_type = serializers.ChoiceField(choices=PartnerType.choices)
    region = serializers.CharField(source="region.code", allow_null=True, required=False, max_length=16)
    tax_number = _text(32)
    country = _text(100)
    address = _text()
    contact_name = _text(200)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = _text(40)
    website = serializers.URLField(allow_blank=True, required=False, max_length=200)
    archived_at = serializers.DateTimeField(read_only=True, allow_null=True)


class PartnerWriteSerializer(PartnerSerializer):
    region = serializers.CharField(allow_null=True, required=False, max_length=16, help_text=_("Region code."))
    allow_duplicate = serializers.BooleanField(
        required=False, default=False, help_text=_("Confirm a partner that looks like an existing one.")
    )


# Errors --------------------------------------------------------------------------------


class MessageSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Bahasa Indonesia")
    en = serializers.CharField(help_text="English")


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.ChoiceField(
        choices=[
            "invalid",
            "parse_error",
            "not_authenticated",
            "authentication_failed",
            "permission_denied",
            "not_found",
            "method_not_allowed",
            "not_acceptable",
            "unsupported_media_type",
            "throttled",
            "error",
        ]
    )
    message = MessageSerializer()
    fields = serializers.DictField(
        child=MessageSerializer(many=True),
        required=False,
        help_text='Per field ("request" for the request as a whole; nested as "parties[0].partner").',
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()

"""The work queue through the API: the same sections as the page `workflow:inbox`
(jalin.lib.queues), so the API and the page never disagree about what waits on whom."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from jalin.accounts import actors
from jalin.api.permissions import IsStaffMember
from jalin.api.serializers import ErrorSerializer
from jalin.lib import queues

EntrySerializer = inline_serializer(
    "QueueEntry",
    {
        "state": serializers.CharField(help_text="the who-acts-next state, e.g. report.submitted"),
        "who": serializers.CharField(),
        "title": serializers.CharField(),
        "url": serializers.CharField(),
        "agreement": serializers.IntegerField(allow_null=True),
        "since": serializers.DateField(allow_null=True),
        "age_days": serializers.IntegerField(allow_null=True),
        "due": serializers.DateField(allow_null=True),
        "detail": serializers.CharField(),
    },
)


class QueueView(GenericAPIView):
    """Everything that waits on the authenticated user, section by section."""

    permission_classes = [IsStaffMember]

    @extend_schema(
        responses={
            200: inline_serializer(
                "Queue",
                {
                    "count": serializers.IntegerField(),
                    "sections": inline_serializer(
                        "QueueSection",
                        {"key": serializers.CharField(), "title": serializers.CharField(), "entries": EntrySerializer},
                        many=True,
                    ),
                },
            ),
            401: ErrorSerializer,
            403: ErrorSerializer,
        }
    )
    def get(self, request):
        today = timezone.localdate()
        sections = [s for s in queues.sections_for(request.user, today) if s.context.get("counts", True)]
        body = {
            "count": sum(len(section.entries) for section in sections),
            "sections": [
                {
                    "key": section.key,
                    "title": str(section.title),
                    "entries": [
                        {
                            "state": entry.state,
                            "who": actors.who(entry.state) if entry.state in actors.TABLE else "",
                            "title": entry.title,
                            "url": request.build_absolute_uri(entry.url),
                            "agreement": entry.agreement_id,
                            "since": entry.since,
                            "age_days": entry.age_days(today),
                            "due": entry.due,
                            "detail": str(entry.detail),
                        }
                        for entry in section.entries
                    ],
                }
                for section in sections
            ],
        }
        return Response(body)

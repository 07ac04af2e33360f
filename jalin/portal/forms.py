from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jalin.portal.models import FeedbackKind, FeedbackStatus


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is your feedback about?"), choices=FeedbackKind.choices)
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=settings.PORTAL_FEEDBACK_MAX_CHARS,
    )
    photo = forms.FileField(
        label=_("Photo (optional, JPG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    contact_name = forms.CharField(label=_("Your name (optional, not published)"), required=False, max_length=120)
    contact_email = forms.EmailField(
        label=_("E-mail (optional, not published; we send you the link to follow your feedback)"), required=False
    )
    contact_phone = forms.CharField(label=_("Phone (optional, not published)"), required=False, max_length=40)
    # The honeypot: hidden from people (and from screen readers), filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(FeedbackStatus.PUBLISHED, _("Publish")), (FeedbackStatus.REJECTED, _("Do not publish"))],
        widget=forms.RadioSelect,
        # Nothing is preselected: publishing is a deliberate choice.
        error_messages={"required": _("Choose whether to publish this feedback or not.")},
    )
    note = forms.CharField(
        label=_("Internal note (required when not publishing; never public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReclassifyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of feedback"),
        choices=FeedbackKind.choices,
        error_messages={
            "required": _("Choose the kind of feedback."),
            "invalid_choice": _("Choose the kind of feedback."),
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Public answer"), widget=forms.Textarea(attrs={"rows": 4}))

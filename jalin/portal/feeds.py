from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from jalin.governments.models import Government
from jalin.lib.text import XmlSafeAtom1Feed
from jalin.portal import selectors


class AgreementsFeed(Feed):
    """New and changed published agreements, newest change first (Atom 1.0)."""

    feed_type = XmlSafeAtom1Feed  # old rows may hold control characters
    limit = 50

    def get_object(self, request, code=None):
        return get_object_or_404(Government, code=code) if code else None

    def title(self, government):
        if government:
            return _("Published cooperation agreements of %(government)s") % {"government": government.name}
        return _("Published cooperation agreements")

    def subtitle(self, government):
        return _("New and changed agreements published on Jalin.")

    def link(self, government):
        if government:
            return reverse("portal:government-agreements", args=[government.code])
        return reverse("portal:agreements")

    def items(self, government):
        queryset = selectors.published_agreements(government).select_related("government", "lead_agency")
        return list(queryset.order_by("-updated_at", "-pk")[: self.limit])

    def item_title(self, agreement):
        return agreement.title

    def item_description(self, agreement):
        parts = [
            f"{agreement.get_kind_display()} · {agreement.government.name}",
            f"{_('Lead agency')}: {agreement.lead_agency.name}",
        ]
        if agreement.intended_benefits:
            parts.append(f"{_('Intended benefits')}: {agreement.intended_benefits}")
        return "\n".join(parts)

    def item_link(self, agreement):
        return reverse("portal:agreement", args=[agreement.pk])

    def item_guid(self, agreement):
        return f"jalin-agreement-{agreement.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, agreement):
        return agreement.created_at

    def item_updateddate(self, agreement):
        return agreement.updated_at

"""Strings of templates/base.html added with the portal (skip link, footer links). They are
listed here so that the portal's catalogue (jalin/portal/locale) carries their Indonesian."""

from django.utils.translation import gettext_noop

BASE_TEMPLATE_STRINGS = (
    gettext_noop("Skip to content"),
    gettext_noop("Open data"),
    gettext_noop("API"),
)

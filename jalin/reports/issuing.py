"""What a rendered report prints about its issue and its late additions (the renderers in
render.py call these, so that their layout stays theirs)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jalin.lib.formatting import rupiah


def _date(day) -> str:
    return formats.date_format(day, "j F Y") if day else "–"


def issue_line(issue: dict) -> str:
    """ "Issued on … by …" (version, and the version it replaces), for DOCX and XLSX."""
    text = _("Issued on %(day)s by %(name)s, version %(version)d.") % {
        "day": formats.date_format(timezone.localtime(issue["issued_at"]), "j F Y H:i"),
        "name": issue["issued_by"],
        "version": issue["version"],
    }
    if issue["supersedes"]:
        text += " " + _("Replaces version %(version)d.") % {"version": issue["supersedes"]}
    return text


def late_addition_table(report) -> tuple[list[str], list[list]]:
    header = [_("Agreement"), _("Period"), _("Verified on"), _("Beneficiaries"), _("Realised (Rp)")]
    rows = [
        [
            row["agreement"].title,
            row["period"],
            _date(timezone.localdate(row["verified_at"])),
            row["beneficiaries"],
            rupiah(row["realised"]),
        ]
        for row in report.late_additions
    ]
    return header, rows

"""Turning report data into files: PDF (HTML through WeasyPrint), DOCX (python-docx) and
XLSX (openpyxl, write-only). Rendering happens inside the requested language."""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from jalin.lib.formatting import rupiah
from jalin.lib.text import escaping_appends, xml_text
from jalin.reports import charts
from jalin.reports.selectors import FactSheet, PeriodicReport


def _no_fetch(url: str, *args, **kwargs):
    """Reports embed everything they show: WeasyPrint may not fetch any URL or file."""
    raise ValueError(f"reports do not load external resources ({url[:60]})")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _date(day) -> str:
    return formats.date_format(day, "j F Y") if day else "–"


def periodic_charts(report: PeriodicReport) -> dict[str, str]:
    data = report.dashboard
    return {
        "status": charts.bar_chart(
            [(str(row["label"]), row["count"]) for row in data.statuses], title=_("Agreements by status")
        ),
        "category": charts.bar_chart(
            [(str(row["label"]), row["count"]) for row in data.categories], title=_("Agreements by category")
        ),
        "signals": charts.bar_chart(
            [(str(row["label"]), row["count"]) for row in data.signals], title=_("Health signals")
        ),
        "budget": charts.bar_chart(
            [(_("Planned"), float(data.planned)), (_("Realised (verified)"), float(data.realised))],
            title=_("Budget (Rp)"),
        ),
    }


def periodic_pdf(report: PeriodicReport, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "reports/periodic.html", {"report": report, "charts": periodic_charts(report), "language": language}
        )
        return html_to_pdf(html)


def fact_sheet_pdf(sheet: FactSheet, language: str) -> bytes:
    with translation.override(language):
        return html_to_pdf(render_to_string("reports/fact_sheet.html", {"sheet": sheet, "language": language}))


def evaluation_pdf(sheet: FactSheet, language: str) -> bytes:
    with translation.override(language):
        return html_to_pdf(render_to_string("reports/evaluation.html", {"sheet": sheet, "language": language}))


# DOCX ------------------------------------------------------------------------------------


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = xml_text(str(text))
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else xml_text(str(value))


def periodic_docx(report: PeriodicReport, language: str) -> bytes:
    from docx import Document
    from docx.shared import Pt

    with translation.override(language):
        document = Document()
        document.styles["Normal"].font.size = Pt(10)
        document.add_heading(_("Report on the implementation of regional cooperation"), 0)
        document.add_paragraph(xml_text(f"{report.scope.title} · {report.period.label}"))
        document.add_paragraph(
            _("Period %(start)s – %(end)s; figures as at %(as_of)s.")
            % {
                "start": _date(report.period.starts_on),
                "end": _date(report.period.ends_on),
                "as_of": _date(report.as_of),
            }
        )
        document.add_heading(_("1. Summary"), 1)
        _table(
            document,
            [_("Figure"), _("Value")],
            [
                [_("Agreements in the register"), report.total],
                [_("In force"), report.in_force],
                [_("Signed in the period"), report.signed_in_period],
                [_("Value of agreements in force"), rupiah(report.value_in_force)],
                [_("Beneficiaries (verified)"), report.dashboard.beneficiaries],
            ],
        )
        document.add_paragraph()
        _table(
            document,
            [_("Status"), _("Agreements"), _("Value")],
            [[row["label"], row["count"], rupiah(row["value"])] for row in report.statuses],
        )
        document.add_heading(_("2. Agreements by category"), 1)
        for section in report.categories:
            document.add_heading(f"{section.label} ({section.count})", 2)
            if section.agreements:
                _table(
                    document,
                    [_("Number"), _("Title"), _("Partners"), _("Lead agency"), _("Period"), _("Status")],
                    [
                        [
                            a.number or "–",
                            a.title,
                            "; ".join(p.partner.name for p in a.parties.all()),
                            a.lead_agency.name,
                            f"{_date(a.signed_on)} – {_date(a.ends_on)}",
                            a.status.label,
                        ]
                        for a in section.agreements
                    ],
                )
        if report.unlisted:
            document.add_paragraph(
                _("%(count)d more agreements are counted above but not listed; see the register export.")
                % {"count": report.unlisted}
            )
        document.add_heading(_("3. Implementation progress and budget"), 1)
        if report.progress:
            _table(
                document,
                [_("Agreement"), _("Progress"), _("Planned (Rp)"), _("Realised (Rp)"), _("Beneficiaries")],
                [
                    [
                        row.agreement.title,
                        f"{row.progress} %" if row.progress is not None else "–",
                        rupiah(row.planned),
                        rupiah(row.realised),
                        row.beneficiaries,
                    ]
                    for row in report.progress
                ],
            )
        else:
            document.add_paragraph(_("No agreement has a results framework yet."))
        document.add_paragraph(
            _("Budget planned: %(planned)s; realised (verified reports): %(realised)s.")
            % {"planned": rupiah(report.dashboard.planned), "realised": rupiah(report.dashboard.realised)}
        )
        document.add_heading(_("4. Beneficiaries"), 1)
        if report.beneficiary_groups:
            _table(
                document,
                [_("Group"), _("People")],
                [[row["label"], row["total"]] for row in report.beneficiary_groups],
            )
        document.add_paragraph(_("Total: %(count)s people.") % {"count": report.dashboard.beneficiaries})
        document.add_heading(_("5. Problems and follow-up"), 1)
        if report.problems:
            _table(
                document,
                [_("Agreement"), _("Period"), _("Problems"), _("Follow-up")],
                [
                    [
                        p.agreement.title,
                        f"{_date(p.period_starts_on)} – {_date(p.period_ends_on)}",
                        p.problems,
                        p.follow_up,
                    ]
                    for p in report.problems
                ],
            )
        else:
            document.add_paragraph(_("No problems were reported in verified progress reports of this period."))
        document.add_heading(_("6. Evaluation results and recommendations"), 1)
        _table(
            document,
            [_("Recommendation"), _("Evaluations")],
            [[row["label"], row["count"]] for row in report.recommendations],
        )
        if report.evaluations:
            document.add_paragraph()
            _table(
                document,
                [_("Agreement"), _("Period evaluated"), _("Average score"), _("Recommendation")],
                [
                    [e.agreement.title, e.period, f"{e.average:.2f}", e.get_recommendation_display()]
                    for e in report.evaluations
                ],
            )
        document.add_heading(_("7. Health signals"), 1)
        _table(
            document,
            [_("Signal"), _("Agreements")],
            [[row["label"], row["count"]] for row in report.dashboard.signals],
        )
        if report.scope.by_government and report.dashboard.governments:
            document.add_heading(_("8. By government"), 1)
            _table(
                document,
                [_("Government"), _("Agreements"), _("In force"), _("Expiring"), _("Paper only"), _("Beneficiaries")],
                [
                    [
                        f"{g['government__code']} {g['government__name']}",
                        g["total"],
                        g["in_force"],
                        g["expiring"],
                        g["paper_only"],
                        g["beneficiaries"],
                    ]
                    for g in report.dashboard.governments
                ],
            )
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


# XLSX ------------------------------------------------------------------------------------


def periodic_xlsx(report: PeriodicReport, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    def number(value):
        return float(value) if isinstance(value, Decimal) else value

    with translation.override(language):
        workbook = Workbook(write_only=True)
        summary = escaping_appends(workbook.create_sheet(_("Summary")[:31]))
        summary.append([_("Report on the implementation of regional cooperation")])
        summary.append([report.scope.title, report.period.label])
        summary.append([_("Figures as at"), report.as_of])
        summary.append([])
        summary.append([_("Status"), _("Agreements"), _("Value (Rp)")])
        first = 6
        for row in report.statuses:
            summary.append([str(row["label"]), row["count"], number(row["value"])])
        last = first + len(report.statuses) - 1
        summary.append([_("Total"), sum(row["count"] for row in report.statuses)])
        summary.append([])
        summary.append([_("Category"), _("Agreements"), _("Value (Rp)")])
        for row in report.dashboard.categories:
            summary.append([str(row["label"]), row["count"], number(row["value"])])
        summary.append([])
        summary.append([_("In force"), report.in_force])
        summary.append([_("Signed in the period"), report.signed_in_period])
        summary.append([_("Budget planned (Rp)"), number(report.dashboard.planned)])
        summary.append([_("Budget realised, verified (Rp)"), number(report.dashboard.realised)])
        summary.append([_("Beneficiaries (verified)"), report.dashboard.beneficiaries])
        chart = BarChart()
        chart.title = _("Agreements by status")
        chart.add_data(Reference(summary, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(summary, min_col=1, min_row=first, max_row=last))
        summary.add_chart(chart, "E2")

        listing = escaping_appends(workbook.create_sheet(_("Agreements")[:31]))
        listing.append(
            [
                _("Category"),
                _("Government"),
                _("Number"),
                _("Title"),
                _("Partners"),
                _("Lead agency"),
                _("Signed on"),
                _("Ends on"),
                _("Value (Rp)"),
                _("Status"),
            ]
        )
        for section in report.categories:
            for a in section.agreements:
                listing.append(
                    [
                        str(section.label),
                        a.government.name,
                        a.number,
                        a.title,
                        "; ".join(p.partner.name for p in a.parties.all()),
                        a.lead_agency.name,
                        a.signed_on,
                        a.ends_on,
                        number(a.value),
                        str(a.status.label),
                    ]
                )
        monitoring_sheet = escaping_appends(workbook.create_sheet(_("Implementation")[:31]))
        monitoring_sheet.append(
            [_("Agreement"), _("Progress (%)"), _("Planned (Rp)"), _("Realised (Rp)"), _("Beneficiaries")]
        )
        for row in report.progress:
            monitoring_sheet.append(
                [
                    row.agreement.title,
                    number(row.progress),
                    number(row.planned),
                    number(row.realised),
                    row.beneficiaries,
                ]
            )
        problems = escaping_appends(workbook.create_sheet(_("Problems")[:31]))
        problems.append([_("Agreement"), _("Period starts"), _("Period ends"), _("Problems"), _("Follow-up")])
        for p in report.problems:
            problems.append([p.agreement.title, p.period_starts_on, p.period_ends_on, p.problems, p.follow_up])
        evaluations = escaping_appends(workbook.create_sheet(_("Evaluations")[:31]))
        evaluations.append(
            [
                _("Agreement"),
                _("Period evaluated"),
                _("Effectiveness"),
                _("Efficiency"),
                _("Benefit to citizens"),
                _("Compliance"),
                _("Recommendation"),
            ]
        )
        for e in report.evaluations:
            evaluations.append(
                [
                    e.agreement.title,
                    e.period,
                    e.effectiveness,
                    e.efficiency,
                    e.benefit,
                    e.compliance,
                    str(e.get_recommendation_display()),
                ]
            )
        signals = escaping_appends(workbook.create_sheet(_("Health signals")[:31]))
        signals.append([_("Signal"), _("Agreements")])
        for row in report.dashboard.signals:
            signals.append([str(row["label"]), row["count"]])
        if report.scope.by_government:
            governments = escaping_appends(workbook.create_sheet(_("By government")[:31]))
            governments.append(
                [
                    _("Code"),
                    _("Government"),
                    _("Agreements"),
                    _("In force"),
                    _("Expiring"),
                    _("Paper only"),
                    _("Beneficiaries"),
                    _("Value (Rp)"),
                ]
            )
            for g in report.dashboard.governments:
                governments.append(
                    [
                        g["government__code"],
                        g["government__name"],
                        g["total"],
                        g["in_force"],
                        g["expiring"],
                        g["paper_only"],
                        g["beneficiaries"],
                        number(g["value"]),
                    ]
                )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


RENDERERS = {"pdf": periodic_pdf, "docx": periodic_docx, "xlsx": periodic_xlsx}

"""Turning report data into files: PDF (HTML through WeasyPrint), DOCX (python-docx) and
XLSX (openpyxl, write-only), all on A4 with the government margins (jalin/lib/pages.py), the
same charts in PDF and DOCX (charts.py), counts and amounts with Indonesian separators in
every format. Rendering happens inside the requested language."""

import datetime
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalin.lib.formatting import number, rupiah
from jalin.lib.pages import A4_MM, MARGINS_MM, docx_a4, docx_keep_rows
from jalin.lib.text import escaping_appends, spreadsheet_cell, xml_text
from jalin.reports import charts
from jalin.reports.issuing import late_addition_table
from jalin.reports.selectors import FactSheet, PeriodicReport

TEXT_WIDTH_MM = A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]


def html_to_pdf(html: str) -> bytes:
    """Reports embed everything they show (charts as data: URIs): WeasyPrint may fetch no
    URL and no file, and a reference to one stops the rendering."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def _date(day) -> str:
    return formats.date_format(day, "j F Y") if day else "–"


def _when(value) -> str:
    """An issue date given as a date, a datetime or ISO text, in the report's language."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(value, "j F Y")
    return _date(value)


def _percent(value) -> str:
    return "–" if value is None else f"{number(value, 1)} %"


def basis_lines(report: PeriodicReport, issue: dict | None = None) -> list[str]:
    """What the report counts (both formats say it in the same words), and once issued, its
    issue date and version."""
    lines = [
        _("Period %(start)s – %(end)s; agreements, statuses and health signals as at %(as_of)s.")
        % {"start": _date(report.period.starts_on), "end": _date(report.period.ends_on), "as_of": _date(report.as_of)},
        _("Progress, budget realised and beneficiaries count the progress reports verified by %(verified)s.")
        % {"verified": _date(timezone.localtime(report.generated_at).date())},
    ]
    if issue:
        line = _("Issued on %(date)s, version %(version)s") % {
            "date": _when(issue.get("issued_at")),
            "version": issue.get("version") or "–",
        }
        if issue.get("issued_by"):
            line += _(", by %(who)s") % {"who": issue["issued_by"]}
        if issue.get("supersedes"):
            line += _("; replaces version %(version)s") % {"version": issue["supersedes"]}
        lines.append(line + ".")
    return lines


def periodic_charts(report: PeriodicReport) -> dict[str, charts.Chart]:
    data = report.dashboard
    return {
        "status": charts.Chart(_("Agreements by status"), [(str(row["label"]), row["count"]) for row in data.statuses]),
        "category": charts.Chart(
            _("Agreements by category"), [(str(row["label"]), row["count"]) for row in data.categories]
        ),
        "signals": charts.Chart(_("Health signals"), [(str(row["label"]), row["count"]) for row in data.signals]),
        "budget": charts.Chart(
            _("Budget (Rp)"),
            [(_("Planned"), float(data.planned)), (_("Realised (verified)"), float(data.realised))],
            money=True,
        ),
    }


def _pdf_chart(chart: charts.Chart) -> dict:
    image = charts.png(chart)
    return {"src": charts.data_uri(image), "title": chart.title, "width": min(charts.width_mm(image), TEXT_WIDTH_MM)}


def _issue(report, issue):
    return issue if issue is not None else getattr(report, "issue", None)


def periodic_pdf(report: PeriodicReport, language: str, issue: dict | None = None) -> bytes:
    with translation.override(language):
        issue = _issue(report, issue)
        context = {
            "report": report,
            "charts": {key: _pdf_chart(chart) for key, chart in periodic_charts(report).items()},
            "basis": basis_lines(report, issue),
            "issue": issue,
            "language": language,
        }
        return html_to_pdf(render_to_string("reports/periodic.html", context))


def fact_sheet_pdf(sheet: FactSheet, language: str) -> bytes:
    with translation.override(language):
        return html_to_pdf(render_to_string("reports/fact_sheet.html", {"sheet": sheet, "language": language}))


def evaluation_pdf(sheet: FactSheet, language: str) -> bytes:
    with translation.override(language):
        return html_to_pdf(render_to_string("reports/evaluation.html", {"sheet": sheet, "language": language}))


# DOCX ------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None or isinstance(value, bool):
        return "–"
    if isinstance(value, int | Decimal | float):
        return number(value)
    return xml_text(str(value))  # rows stored before the input check may hold control characters


def _table(document, header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> None:
    """A table whose rows never split across pages and whose header repeats on each page;
    counts with Indonesian separators, numeric columns right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = _cell_text(value)
            if index in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    docx_keep_rows(table, header_rows=1)
    document.add_paragraph()


def _chart(document, chart: charts.Chart) -> None:
    from docx.shared import Mm

    image = charts.png(chart)
    document.add_picture(io.BytesIO(image), width=Mm(min(charts.width_mm(image), TEXT_WIDTH_MM)))
    document.paragraphs[-1].paragraph_format.keep_together = True


def _docx_summary(document, report: PeriodicReport, pictures: dict) -> None:
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
        {1},
    )
    _table(
        document,
        [_("Status"), _("Agreements"), _("Value")],
        [[row["label"], row["count"], rupiah(row["value"])] for row in report.statuses],
        {1, 2},
    )
    _chart(document, pictures["status"])
    _chart(document, pictures["category"])


def _docx_categories(document, report: PeriodicReport) -> None:
    document.add_heading(_("2. Agreements by category"), 1)
    for section in report.categories:
        document.add_heading(f"{section.label} ({number(section.count)})", 2)
        if not section.agreements:
            continue
        header = [_("Number"), _("Title"), _("Partners"), _("Lead agency")]
        if report.scope.by_government:
            header.append(_("Government"))
        rows = []
        for a in section.agreements:
            row = [a.number or "–", a.title, "; ".join(p.partner.name for p in a.parties.all()), a.lead_agency.name]
            if report.scope.by_government:
                row.append(a.government.name)
            period = f"{_date(a.signed_on)} – {_date(a.ends_on)}" if a.signed_on or a.ends_on else _("no data yet")
            rows.append([*row, period, a.status.label])
        _table(document, [*header, _("Period"), _("Status")], rows)
    if report.unlisted:
        document.add_paragraph(
            ngettext(
                "%(count)s more agreement is counted above but not listed; see the register export.",
                "%(count)s more agreements are counted above but not listed; see the register export.",
                report.unlisted,
            )
            % {"count": number(report.unlisted)}
        )


def _docx_progress(document, report: PeriodicReport, pictures: dict) -> None:
    document.add_heading(_("3. Implementation progress and budget"), 1)
    if report.progress:
        _table(
            document,
            [_("Agreement"), _("Progress"), _("Planned (Rp)"), _("Realised (Rp)"), _("Beneficiaries")],
            [
                [
                    row.agreement.title,
                    _percent(row.progress),
                    rupiah(row.planned),
                    rupiah(row.realised),
                    row.beneficiaries,
                ]
                for row in report.progress
            ],
            {1, 2, 3, 4},
        )
    else:
        document.add_paragraph(_("No agreement has a results framework yet."))
    document.add_paragraph(
        _("Budget planned: %(planned)s; realised (verified reports): %(realised)s.")
        % {"planned": rupiah(report.dashboard.planned), "realised": rupiah(report.dashboard.realised)}
    )
    _chart(document, pictures["budget"])
    document.add_heading(_("4. Beneficiaries"), 1)
    if report.beneficiary_groups:
        _table(document, [_("Group"), _("People")], [[r["label"], r["total"]] for r in report.beneficiary_groups], {1})
    document.add_paragraph(_("Total: %(count)s people.") % {"count": number(report.dashboard.beneficiaries)})


def _docx_problems_evaluations(document, report: PeriodicReport) -> None:
    document.add_heading(_("5. Problems and follow-up"), 1)
    if report.problems:
        _table(
            document,
            [_("Agreement"), _("Period"), _("Problems"), _("Follow-up")],
            [
                [p.agreement.title, f"{_date(p.period_starts_on)} – {_date(p.period_ends_on)}", p.problems, p.follow_up]
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
        {1},
    )
    if report.evaluations:
        _table(
            document,
            [_("Agreement"), _("Period evaluated"), _("Average score"), _("Recommendation")],
            [
                [e.agreement.title, e.period, number(e.average, 2), e.get_recommendation_display()]
                for e in report.evaluations
            ],
            {2},
        )


def _docx_signals(document, report: PeriodicReport, pictures: dict) -> None:
    document.add_heading(_("7. Health signals"), 1)
    _table(document, [_("Signal"), _("Agreements")], [[r["label"], r["count"]] for r in report.dashboard.signals], {1})
    _chart(document, pictures["signals"])
    if report.signal_rows:
        document.add_heading(_("Agreements needing attention"), 2)
        _table(
            document,
            [_("Agreement"), _("Lead agency"), _("Signals")],
            [
                [agreement.title, agreement.lead_agency.name, "; ".join(str(r.label) for r in reasons)]
                for agreement, reasons in report.signal_rows
            ],
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
            {1, 2, 3, 4, 5},
        )


def periodic_docx(report: PeriodicReport, language: str, issue: dict | None = None) -> bytes:
    """The same sections, tables, figures and charts (as PNG) as the PDF, on A4."""
    from docx import Document
    from docx.shared import Pt

    with translation.override(language):
        issue = _issue(report, issue)
        document = Document()
        docx_a4(document)
        document.styles["Normal"].font.size = Pt(10)
        document.add_heading(_("Report on the implementation of regional cooperation"), 0)
        document.add_paragraph(xml_text(f"{report.scope.title} · {report.period.label}")).runs[0].bold = True
        for line in basis_lines(report, issue):
            document.add_paragraph(line)
        document.add_paragraph(
            _("Prepared by Jalin on %(when)s.")
            % {"when": formats.date_format(timezone.localtime(report.generated_at), "j F Y H:i")}
        )
        pictures = periodic_charts(report)
        _docx_summary(document, report, pictures)
        _docx_categories(document, report)
        _docx_progress(document, report, pictures)
        _docx_problems_evaluations(document, report)
        _docx_signals(document, report, pictures)
        if report.late_additions:
            document.add_heading(_("Late additions"), 1)
            document.add_paragraph(
                _("Verified after the report of their period was issued; counted from this report on.")
            )
            _table(document, *late_addition_table(report), {3})
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


# XLSX ------------------------------------------------------------------------------------


COUNT_FORMAT = "#,##0"  # an Indonesian Excel shows 30.620
MONEY_FORMAT = '"Rp "#,##0'  # Rp 72.799.000
PERCENT_FORMAT = '0.0" %"'
SCORE_FORMAT = "0.00"
DATE_FORMAT = "DD-MM-YYYY"


def _cells(sheet, values: list, formats_by_column: dict[int, str] | None = None) -> list:
    """One row of a write-only sheet: numbers stay numbers, with a number format (counts
    grouped, amounts in Rupiah, dates day-month-year); no None, True or False is written."""
    from openpyxl.cell import WriteOnlyCell

    formats_by_column = formats_by_column or {}
    row = []
    for index, value in enumerate(values):
        if value is None:
            row.append(None)
            continue
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        if isinstance(value, Decimal):
            value = float(value)
        cell = WriteOnlyCell(sheet, value=spreadsheet_cell(value))  # text a spreadsheet would run is escaped
        if index in formats_by_column:
            cell.number_format = formats_by_column[index]
        elif isinstance(value, int):
            cell.number_format = COUNT_FORMAT
        elif isinstance(value, float):
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        row.append(cell)
    return row


def _xlsx_summary(workbook, report: PeriodicReport, issue: dict | None) -> None:
    from openpyxl.chart import BarChart, Reference

    summary = escaping_appends(workbook.create_sheet(_("Summary")[:31]))
    summary.append([_("Report on the implementation of regional cooperation")])
    summary.append([report.scope.title, report.period.label])
    summary.append(_cells(summary, [_("Figures as at"), report.as_of]))
    for line in basis_lines(report, issue):
        summary.append([line])
    summary.append([])
    summary.append([_("Status"), _("Agreements"), _("Value (Rp)")])
    first = len(basis_lines(report, issue)) + 6  # the first status row (1-based)
    for row in report.statuses:
        summary.append(_cells(summary, [str(row["label"]), row["count"], row["value"]]))
    last = first + len(report.statuses) - 1
    summary.append(_cells(summary, [_("Total"), sum(row["count"] for row in report.statuses)]))
    summary.append([])
    summary.append([_("Category"), _("Agreements"), _("Value (Rp)")])
    for row in report.dashboard.categories:
        summary.append(_cells(summary, [str(row["label"]), row["count"], row["value"]]))
    summary.append([])
    for label, value in (
        (_("In force"), report.in_force),
        (_("Signed in the period"), report.signed_in_period),
        (_("Budget planned (Rp)"), report.dashboard.planned),
        (_("Budget realised, verified (Rp)"), report.dashboard.realised),
        (_("Beneficiaries (verified)"), report.dashboard.beneficiaries),
    ):
        summary.append(_cells(summary, [label, value]))
    chart = BarChart()
    chart.title = _("Agreements by status")
    chart.add_data(Reference(summary, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=first, max_row=last))
    summary.add_chart(chart, "E2")


def _xlsx_listing(workbook, report: PeriodicReport) -> None:
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
                _cells(
                    listing,
                    [
                        str(section.label),
                        a.government.name,
                        a.number or None,
                        a.title,
                        "; ".join(p.partner.name for p in a.parties.all()),
                        a.lead_agency.name,
                        a.signed_on,
                        a.ends_on,
                        a.value,
                        str(a.status.label),
                    ],
                )
            )


def _xlsx_monitoring(workbook, report: PeriodicReport) -> None:
    sheet = escaping_appends(workbook.create_sheet(_("Implementation")[:31]))
    sheet.append([_("Agreement"), _("Progress (%)"), _("Planned (Rp)"), _("Realised (Rp)"), _("Beneficiaries")])
    for row in report.progress:
        sheet.append(
            _cells(
                sheet,
                [row.agreement.title, row.progress, row.planned, row.realised, row.beneficiaries],
                {1: PERCENT_FORMAT},
            )
        )
    problems = escaping_appends(workbook.create_sheet(_("Problems")[:31]))
    problems.append([_("Agreement"), _("Period starts"), _("Period ends"), _("Problems"), _("Follow-up")])
    for p in report.problems:
        problems.append(
            _cells(problems, [p.agreement.title, p.period_starts_on, p.period_ends_on, p.problems, p.follow_up])
        )
    evaluations = escaping_appends(workbook.create_sheet(_("Evaluations")[:31]))
    evaluations.append(
        [
            _("Agreement"),
            _("Period evaluated"),
            _("Effectiveness"),
            _("Efficiency"),
            _("Benefit to citizens"),
            _("Compliance"),
            _("Average score"),
            _("Recommendation"),
        ]
    )
    for e in report.evaluations:
        evaluations.append(
            _cells(
                evaluations,
                [
                    e.agreement.title,
                    e.period,
                    e.effectiveness,
                    e.efficiency,
                    e.benefit,
                    e.compliance,
                    e.average,
                    str(e.get_recommendation_display()),
                ],
                {6: SCORE_FORMAT},
            )
        )


def _xlsx_signals(workbook, report: PeriodicReport) -> None:
    signals = escaping_appends(workbook.create_sheet(_("Health signals")[:31]))
    signals.append([_("Signal"), _("Agreements")])
    for row in report.dashboard.signals:
        signals.append(_cells(signals, [str(row["label"]), row["count"]]))
    if not report.scope.by_government:
        return
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
            _cells(
                governments,
                [
                    g["government__code"],
                    g["government__name"],
                    g["total"],
                    g["in_force"],
                    g["expiring"],
                    g["paper_only"],
                    g["beneficiaries"],
                    g["value"],
                ],
            )
        )


def _xlsx_late_additions(workbook, report: PeriodicReport) -> None:
    """Data of earlier periods verified after their report was issued (jalin/reports/issuing.py)."""
    header, rows = late_addition_table(report)
    if not rows:
        return
    sheet = escaping_appends(workbook.create_sheet(_("Late additions")[:31]))
    sheet.append(header)
    for row in rows:
        sheet.append(row)


def periodic_xlsx(report: PeriodicReport, language: str, issue: dict | None = None) -> bytes:
    from openpyxl import Workbook

    with translation.override(language):
        issue = _issue(report, issue)
        workbook = Workbook(write_only=True)
        _xlsx_summary(workbook, report, issue)
        _xlsx_listing(workbook, report)
        _xlsx_monitoring(workbook, report)
        _xlsx_signals(workbook, report)
        _xlsx_late_additions(workbook, report)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


RENDERERS = {"pdf": periodic_pdf, "docx": periodic_docx, "xlsx": periodic_xlsx}

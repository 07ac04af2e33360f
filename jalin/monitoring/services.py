"""Writes to the monitoring trail. Every function checks access, validates with a message the
user can act on, writes inside acting_as(actor) (so the audit trail names them) and never
hard-deletes."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jalin.accounts.models import User
from jalin.agreements.models import Agreement
from jalin.audit.bulk import bulk_create as audited_bulk_create
from jalin.audit.context import acting_as
from jalin.lib import handovers
from jalin.lib.uploads import EVIDENCE_TYPES, IMAGE_TYPES, check_upload
from jalin.monitoring import access
from jalin.monitoring.images import MAX_PIXELS, ImageTooLarge, photo_facts
from jalin.monitoring.models import (
    OPEN_REPORT_STATUSES,
    Beneficiary,
    BeneficiaryGroup,
    BudgetLine,
    BudgetRealisation,
    Direction,
    Evaluation,
    Evidence,
    FundingSource,
    Indicator,
    IndicatorPeriod,
    IndicatorType,
    Measure,
    Obligation,
    ObligationStatus,
    ProgressReport,
    Recommendation,
    ReportIndicatorValue,
    ReportObligation,
    ReportStatus,
    ResponsibleParty,
)
from jalin.monitoring.periods import Period, period_starting, periods_between

CENT = Decimal("0.01")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value, limit: int | None = None) -> str:
    value = (value or "").strip()
    if limit and len(value) > limit:
        raise ValidationError(_("At most %(limit)d characters.") % {"limit": limit})
    return value


def _choice(value, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


# Results framework --------------------------------------------------------------------


def _obligation_values(agreement: Agreement, fields: dict) -> dict:
    """The checked values of an obligation (on creation and on correction)."""
    description = _text(fields.get("description"))
    if not description:
        raise ValidationError({"description": _("Describe the obligation.")})
    party = _choice(
        fields.get("party") or ResponsibleParty.OURS, ResponsibleParty, "party", _("Choose who is responsible.")
    )
    agency = fields.get("agency")
    if agency is not None and agency.government_id != agreement.government_id:
        raise ValidationError({"agency": _("The agency must belong to the agreement's government.")})
    weight = int(fields.get("weight") or 1)
    if weight < 1:
        raise ValidationError({"weight": _("The weight must be at least 1.")})
    return {
        "description": description,
        "party": party,
        "agency": agency if party != ResponsibleParty.PARTNER else None,
        "due_on": fields.get("due_on"),
        "weight": weight,
        "is_public": bool(fields.get("is_public", True)),
    }


@transaction.atomic
def obligation_create(*, actor: User, agreement: Agreement, fields: dict) -> Obligation:
    _require(access.can_report(actor, agreement))
    values = _obligation_values(agreement, fields)
    with acting_as(actor):
        return Obligation.objects.create(agreement=agreement, **values)


def indicator_window(agreement: Agreement) -> tuple[datetime.date, datetime.date]:
    start = agreement.start_date or timezone.localdate()
    end = agreement.ends_on or start.replace(year=start.year + settings.PKS_MAX_YEARS)
    return start, end


def path_target(indicator: Indicator, start: datetime.date, end: datetime.date, day: datetime.date) -> Decimal:
    """The pro-rata path from the baseline at `start` to the final target at `end`, on `day`."""
    if day >= end:
        return indicator.target_value
    share = Decimal(max((day - start).days, 0)) / Decimal(max((end - start).days, 1))
    value = indicator.baseline_value + (indicator.target_value - indicator.baseline_value) * share
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _indicator_values(agreement: Agreement, fields: dict) -> dict:
    """The checked values of an indicator (on creation and on correction), with every problem at once."""
    problems = {}
    name = _text(fields.get("name"))
    if not name:
        problems["name"] = _("Name the indicator.")
    if fields.get("indicator_type") not in IndicatorType.values:
        problems["indicator_type"] = _("Choose output, outcome or impact.")
    measure = fields.get("measure") or Measure.NUMBER
    direction = fields.get("direction") or Direction.HIGHER
    if measure not in Measure.values:
        problems["measure"] = _("Choose how it is measured.")
    if direction not in Direction.values:
        problems["direction"] = _("Choose whether higher or lower is better.")
    baseline = Decimal(fields.get("baseline_value") or 0)
    target = fields.get("target_value")
    if target is None:
        problems["target_value"] = _("Give the final target.")
    else:
        target = Decimal(target)
        if target == baseline:
            problems["target_value"] = _("The target must differ from the baseline.")
        elif direction == Direction.HIGHER and target < baseline:
            problems["target_value"] = _("Higher is better, so the target must be above the baseline.")
        elif direction == Direction.LOWER and target > baseline:
            problems["target_value"] = _("Lower is better, so the target must be below the baseline.")
    if measure == Measure.PERCENT and target is not None and not (0 <= target <= 100 and 0 <= baseline <= 100):
        problems["target_value"] = _("A percentage lies between 0 and 100.")
    if measure == Measure.YES_NO and target is not None and {baseline, target} != {Decimal(0), Decimal(1)}:
        problems["target_value"] = _("A yes/no indicator goes from 0 (no) to 1 (yes).")
    obligation = fields.get("obligation")
    if obligation is not None and obligation.agreement_id != agreement.pk:
        problems["obligation"] = _("The obligation belongs to another agreement.")
    elif obligation is not None and obligation.archived_at is not None:
        problems["obligation"] = _("The obligation is archived; choose one still in the framework.")
    weight = int(fields.get("weight") or 1)
    if weight < 1:
        problems["weight"] = _("The weight must be at least 1.")
    if problems:
        raise ValidationError(problems)
    return {
        "obligation": obligation,
        "name": name,
        "indicator_type": fields["indicator_type"],
        "unit": _text(fields.get("unit"), 60),
        "measure": measure,
        "direction": direction,
        "baseline_value": baseline,
        "baseline_year": fields.get("baseline_year"),
        "target_value": target,
        "rpjmd_code": _text(fields.get("rpjmd_code"), 60),
        "notes": _text(fields.get("notes")),
        "weight": weight,
        "is_public": bool(fields.get("is_public", True)),
    }


@transaction.atomic
def indicator_create(*, actor: User, agreement: Agreement, fields: dict) -> Indicator:
    """Create an indicator and its targets for every reporting period of the agreement,
    on the pro-rata path from the baseline to the final target."""
    _require(access.can_report(actor, agreement))
    values = _indicator_values(agreement, fields)
    with acting_as(actor):
        indicator = Indicator.objects.create(agreement=agreement, **values)
        start, end = indicator_window(agreement)
        audited_bulk_create(
            IndicatorPeriod,
            [
                IndicatorPeriod(
                    indicator=indicator,
                    starts_on=period.starts_on,
                    ends_on=period.ends_on,
                    target=path_target(indicator, start, end, period.ends_on),
                )
                for period in periods_between(start, end)
            ],
        )
    return indicator


def _budget_line_values(fields: dict) -> dict:
    problems = {}
    description = _text(fields.get("description"), 300)
    if not description:
        problems["description"] = _("Describe what the money is for.")
    if fields.get("party") not in ResponsibleParty.values:
        problems["party"] = _("Choose which party pays.")
    if fields.get("source") not in FundingSource.values:
        problems["source"] = _("Choose the source of the money.")
    planned = fields.get("planned")
    if planned is None or Decimal(planned) < 0:
        problems["planned"] = _("Give the planned amount (zero or more).")
    if problems:
        raise ValidationError(problems)
    return {
        "party": fields["party"],
        "source": fields["source"],
        "description": description,
        "planned": Decimal(planned),
    }


@transaction.atomic
def budget_line_create(*, actor: User, agreement: Agreement, fields: dict) -> BudgetLine:
    _require(access.can_report(actor, agreement))
    values = _budget_line_values(fields)
    with acting_as(actor):
        return BudgetLine.objects.create(agreement=agreement, **values)


# Corrections of the results framework ---------------------------------------------------
# An obligation, indicator or budget line is corrected in place (the audit trail keeps every
# value it had, who changed it and when) or archived: it leaves the framework, its roll-ups
# and the forms, and stays on record with the reports that used it.


def _live_item(model, item, actor: User):
    item = model.objects.select_for_update().select_related("agreement").get(pk=item.pk)
    _require(access.can_correct_framework(actor, item.agreement))
    if item.archived_at is not None:
        raise ValidationError(_("This item is archived; it can no longer be changed."))
    return item


def _save_changes(item, values: dict) -> None:
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, values[name])
    if changed:
        item.save(update_fields=changed)


@transaction.atomic
def obligation_update(*, actor: User, obligation: Obligation, fields: dict) -> Obligation:
    obligation = _live_item(Obligation, obligation, actor)
    values = _obligation_values(obligation.agreement, fields)
    with acting_as(actor):
        _save_changes(obligation, values)
    return obligation


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, fields: dict) -> Indicator:
    """Correct an indicator. When its baseline or final target changes, the period targets
    follow the corrected path (the actuals verified reports gave are kept)."""
    indicator = _live_item(Indicator, indicator, actor)
    values = _indicator_values(indicator.agreement, fields)
    path_moves = (values["baseline_value"], values["target_value"]) != (
        indicator.baseline_value,
        indicator.target_value,
    )
    with acting_as(actor):
        _save_changes(indicator, values)
        if path_moves:
            start, end = indicator_window(indicator.agreement)
            for period in indicator.periods.all():
                target = path_target(indicator, start, end, period.ends_on)
                if period.target != target:
                    period.target = target
                    period.save(update_fields=["target"])
    return indicator


@transaction.atomic
def budget_line_update(*, actor: User, budget_line: BudgetLine, fields: dict) -> BudgetLine:
    budget_line = _live_item(BudgetLine, budget_line, actor)
    values = _budget_line_values(fields)
    with acting_as(actor):
        _save_changes(budget_line, values)
    return budget_line


@transaction.atomic
def framework_item_archive(*, actor: User, item: Obligation | Indicator | BudgetLine):
    """Archive an obligation, indicator or budget line (never delete: reports that used it keep it)."""
    item = _live_item(type(item), item, actor)
    if isinstance(item, Obligation) and item.indicators.filter(archived_at__isnull=True).exists():
        raise ValidationError(
            _("Indicators sit under this obligation: archive them or move them to another obligation first.")
        )
    with acting_as(actor):
        item.archived_at = timezone.now()
        item.save(update_fields=["archived_at"])
    return item


# Progress reports ---------------------------------------------------------------------


@transaction.atomic
def report_start(*, actor: User, agreement: Agreement, period: Period) -> ProgressReport:
    """Open a draft report for a period: for an agreement that is signed and was in force then."""
    _require(access.can_report(actor, agreement))
    if period_starting(period.starts_on) != period:
        raise ValidationError(_("Choose one of the reporting periods."))
    if not agreement.signed_on:
        raise ValidationError(_("Progress is reported once the agreement is signed."))
    if agreement.terminated_on and agreement.terminated_on < period.starts_on:
        raise ValidationError(_("The agreement had already ended before this period."))
    if (agreement.start_date and period.ends_on < agreement.start_date) or (
        agreement.ends_on and period.starts_on > agreement.ends_on
    ):
        raise ValidationError(_("The agreement was not in force in this period."))
    if period.starts_on > timezone.localdate():
        raise ValidationError(_("This period has not started yet."))
    existing = ProgressReport.objects.select_for_update().filter(agreement=agreement, period_starts_on=period.starts_on)
    if existing.filter(status__in=OPEN_REPORT_STATUSES).exists():
        raise ValidationError(_("A report for %(period)s is already open.") % {"period": period.label})
    if existing.filter(status=ReportStatus.VERIFIED).exists():
        raise ValidationError(
            _("The report for %(period)s is verified and locked; start a correction instead.")
            % {"period": period.label}
        )
    with acting_as(actor):
        return ProgressReport.objects.create(
            agreement=agreement,
            period_starts_on=period.starts_on,
            period_ends_on=period.ends_on,
            version=(existing.aggregate(v=Max("version"))["v"] or 0) + 1,
            created_by=actor,
        )


@dataclass
class BeneficiaryInput:
    group: str
    count: int
    method: str


def _locked(report: ProgressReport) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError(
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )
    return report


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: ProgressReport,
    summary: str = "",
    problems: str = "",
    follow_up: str = "",
    indicator_values: dict | None = None,
    obligation_updates: dict | None = None,
    realisations: dict | None = None,
    beneficiaries: list[BeneficiaryInput] | None = None,
) -> ProgressReport:
    """Save the draft's content. Values left empty are removed from the report."""
    _require(access.can_report(actor, report.agreement))
    report = _locked(report)
    agreement = report.agreement
    errors = {}
    indicators = {i.pk: i for i in Indicator.objects.filter(agreement=agreement, archived_at__isnull=True)}
    obligations = {o.pk: o for o in Obligation.objects.filter(agreement=agreement, archived_at__isnull=True)}
    lines = {b.pk: b for b in BudgetLine.objects.filter(agreement=agreement, archived_at__isnull=True)}
    for pk, value in (indicator_values or {}).items():
        indicator = indicators.get(pk)
        if indicator is None:
            errors[f"ind_{pk}"] = _("This indicator belongs to another agreement.")
        elif value is not None:
            if indicator.measure == Measure.YES_NO and value not in (0, 1):
                errors[f"ind_{pk}"] = _("Answer 1 for yes or 0 for no.")
            elif indicator.measure == Measure.PERCENT and not 0 <= value <= 100:
                errors[f"ind_{pk}"] = _("A percentage lies between 0 and 100.")
    for pk, (status, met_on) in (obligation_updates or {}).items():
        if pk not in obligations:
            errors[f"obl_{pk}"] = _("This obligation belongs to another agreement.")
        elif status and status not in ObligationStatus.values:
            errors[f"obl_{pk}"] = _("Choose a status.")
        elif status in (ObligationStatus.MET, ObligationStatus.PARTLY_MET) and not met_on:
            errors[f"obl_{pk}"] = _("Give the date it was met.")
        elif met_on and met_on > timezone.localdate():
            errors[f"obl_{pk}"] = _("The date it was met cannot be in the future.")
    for pk, amount in (realisations or {}).items():
        if pk not in lines:
            errors[f"bud_{pk}"] = _("This budget line belongs to another agreement.")
        elif amount is not None and amount < 0:
            errors[f"bud_{pk}"] = _("An amount cannot be negative.")
    groups = set()
    for item in beneficiaries or []:
        if item.group not in BeneficiaryGroup.values:
            errors["beneficiaries"] = _("Choose a group for every row of beneficiaries.")
        elif item.group in groups:
            errors["beneficiaries"] = _("Each group of beneficiaries appears once per report.")
        elif item.count < 0:
            errors["beneficiaries"] = _("A number of people cannot be negative.")
        elif not item.method.strip():
            errors["beneficiaries"] = _("Say how the beneficiaries were counted.")
        groups.add(item.group)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        report.summary = _text(summary)
        report.problems = _text(problems)
        report.follow_up = _text(follow_up)
        report.save(update_fields=["summary", "problems", "follow_up", "updated_at"])
        for pk, value in (indicator_values or {}).items():
            ReportIndicatorValue.objects.filter(report=report, indicator_id=pk).delete()
            if value is not None:
                ReportIndicatorValue.objects.create(report=report, indicator_id=pk, value=value)
        for pk, (status, met_on) in (obligation_updates or {}).items():
            ReportObligation.objects.filter(report=report, obligation_id=pk).delete()
            if status:
                ReportObligation.objects.create(
                    report=report,
                    obligation_id=pk,
                    status=status,
                    met_on=met_on if status in (ObligationStatus.MET, ObligationStatus.PARTLY_MET) else None,
                )
        for pk, amount in (realisations or {}).items():
            BudgetRealisation.objects.filter(report=report, budget_line_id=pk).delete()
            if amount is not None:
                BudgetRealisation.objects.create(report=report, budget_line_id=pk, amount=amount)
        if beneficiaries is not None:
            report.beneficiaries.all().delete()
            audited_bulk_create(
                Beneficiary,
                [
                    Beneficiary(report=report, group=item.group, count=item.count, method=item.method.strip()[:300])
                    for item in beneficiaries
                ],
            )
    return report


def _handover(state: str, actor: User, report: ProgressReport) -> None:
    """Tell the people who must act next (jalin.accounts.actors) once this commits."""
    stamp = {"report.submitted": report.submitted_at, "report.returned": report.returned_at}.get(
        state, report.verified_at
    )
    handovers.announce(
        state=state,
        key=f"{state}:{report.pk}:{stamp.isoformat() if stamp else ''}",
        government_id=report.agreement.government_id,
        agreement_id=report.agreement_id,
        object_id=report.pk,
        actor_id=actor.pk,
    )


@transaction.atomic
def report_submit(*, actor: User, report: ProgressReport) -> ProgressReport:
    _require(access.can_report(actor, report.agreement))
    report = _locked(report)
    if not report.summary:
        raise ValidationError({"summary": _("Summarise the progress before submitting the report.")})
    with acting_as(actor):
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = actor
        report.submitted_at = timezone.now()
        report.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    _handover("report.submitted", actor, report)
    return report


@transaction.atomic
def report_return(*, actor: User, report: ProgressReport, reason: str) -> ProgressReport:
    _require(access.can_verify(actor, report.agreement))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what needs to be revised.")})
    with acting_as(actor):
        report.status = ReportStatus.RETURNED
        report.returned_reason = reason
        report.returned_at = timezone.now()
        report.save(update_fields=["status", "returned_reason", "returned_at", "updated_at"])
    _handover("report.returned", actor, report)
    return report


@transaction.atomic
def report_verify(*, actor: User, report: ProgressReport) -> ProgressReport:
    """Accept a submitted report: lock it, and carry its actuals, obligation statuses and
    evidence into the agreement's results framework. A correction supersedes the version it corrects."""
    _require(access.can_verify(actor, report.agreement))
    report = ProgressReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be verified."))
    if report.submitted_by_id == actor.pk:
        raise ValidationError(_("You submitted this report yourself; another verifier must check it."))
    now = timezone.now()
    with acting_as(actor):
        previous = ProgressReport.objects.filter(
            agreement=report.agreement, period_starts_on=report.period_starts_on, status=ReportStatus.VERIFIED
        )
        for old in previous:
            old.status = ReportStatus.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
        report.status = ReportStatus.VERIFIED
        report.verified_by = actor
        report.verified_at = now
        report.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
        start, end = indicator_window(report.agreement)
        for item in report.indicator_values.select_related("indicator"):
            period, _created = IndicatorPeriod.objects.get_or_create(
                indicator=item.indicator,
                starts_on=report.period_starts_on,
                defaults={
                    "ends_on": report.period_ends_on,
                    "target": path_target(item.indicator, start, end, report.period_ends_on),
                },
            )
            period.actual = item.value
            period.actual_report = report
            period.save(update_fields=["actual", "actual_report"])
        for update in report.obligation_updates.select_related("obligation"):
            obligation = update.obligation
            obligation.status = update.status
            obligation.met_on = update.met_on
            obligation.save(update_fields=["status", "met_on"])
        for evidence in report.evidence.filter(verified_at__isnull=True, archived_at__isnull=True):
            evidence.verified_by = actor
            evidence.verified_at = now
            evidence.save(update_fields=["verified_by", "verified_at"])
    _handover("report.verified", actor, report)
    return report


@transaction.atomic
def report_correct(*, actor: User, report: ProgressReport, reason: str) -> ProgressReport:
    """Start a correction of a verified report: a new draft version with the same content.
    The verified version stays in force until the correction is verified."""
    _require(access.can_report(actor, report.agreement))
    report = ProgressReport.objects.select_for_update().select_related("agreement").get(pk=report.pk)
    if report.status != ReportStatus.VERIFIED:
        raise ValidationError(_("Only a verified report is corrected; a draft or returned report is simply edited."))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what the correction is for.")})
    if ProgressReport.objects.filter(
        agreement=report.agreement, period_starts_on=report.period_starts_on, status__in=OPEN_REPORT_STATUSES
    ).exists():
        raise ValidationError(_("A correction of this report is already open."))
    with acting_as(actor):
        correction = ProgressReport.objects.create(
            agreement=report.agreement,
            period_starts_on=report.period_starts_on,
            period_ends_on=report.period_ends_on,
            version=report.version + 1,
            corrects=report,
            summary=report.summary,
            problems=report.problems,
            follow_up=report.follow_up,
            correction_reason=reason,
            created_by=actor,
        )
        audited_bulk_create(
            ReportIndicatorValue,
            [
                ReportIndicatorValue(report=correction, indicator_id=v.indicator_id, value=v.value)
                for v in report.indicator_values.all()
            ],
        )
        audited_bulk_create(
            ReportObligation,
            [
                ReportObligation(report=correction, obligation_id=o.obligation_id, status=o.status, met_on=o.met_on)
                for o in report.obligation_updates.all()
            ],
        )
        audited_bulk_create(
            BudgetRealisation,
            [
                BudgetRealisation(report=correction, budget_line_id=b.budget_line_id, amount=b.amount)
                for b in report.budget_realisations.all()
            ],
        )
        audited_bulk_create(
            Beneficiary,
            [
                Beneficiary(report=correction, group=b.group, count=b.count, method=b.method)
                for b in report.beneficiaries.all()
            ],
        )
    return correction


# Evidence -----------------------------------------------------------------------------


def evidence_add(
    *,
    actor: User,
    agreement: Agreement,
    caption: str,
    upload: UploadedFile | None = None,
    url: str = "",
    report: ProgressReport | None = None,
    obligation: Obligation | None = None,
    is_public: bool = False,
) -> Evidence:
    """Attach a file (document or photo, checked like every upload) or a link. Photos get a
    thumbnail, and the date and place the camera recorded. All or nothing."""
    _require(access.can_report(actor, agreement))
    caption = _text(caption, 300)
    url = (url or "").strip()
    if not caption:
        raise ValidationError({"caption": _("Say what the evidence shows.")})
    if bool(upload) == bool(url):
        raise ValidationError(_("Attach either a file or a link."))
    if report is not None:
        report = ProgressReport.objects.get(pk=report.pk)  # its current status, not the caller's copy
    if report is not None and (report.agreement_id != agreement.pk or not report.is_editable):
        raise ValidationError(_("Evidence can only be added to a draft or returned report of this agreement."))
    if obligation is not None and obligation.agreement_id != agreement.pk:
        raise ValidationError(_("The obligation belongs to another agreement."))
    evidence = Evidence(
        agreement=agreement,
        report=report,
        obligation=obligation,
        caption=caption,
        is_public=is_public,
        uploaded_by=actor,
    )
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"url": _("Enter a full web address starting with https://.")}) from None
        evidence.url = url
    thumbnail = None
    if upload:
        checked = check_upload(upload, max_bytes=settings.MONITORING_EVIDENCE_MAX_BYTES, allowed=EVIDENCE_TYPES)
        evidence.original_name = checked.name
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
        if checked.content_type in IMAGE_TYPES.values():
            upload.seek(0)
            try:
                facts = photo_facts(upload.read())
            except ImageTooLarge as error:
                raise ValidationError(
                    _("The photo is too large (%(size)s megapixels; at most %(limit)s). Upload a smaller copy.")
                    % {"size": error.megapixels, "limit": MAX_PIXELS // 1_000_000}
                ) from None
            except ValueError:
                raise ValidationError(_("The photo could not be read. Take it again or upload the original.")) from None
            upload.seek(0)
            evidence.taken_at, evidence.latitude, evidence.longitude = facts.taken_at, facts.latitude, facts.longitude
            thumbnail = facts.thumbnail
    stored = []
    try:
        with transaction.atomic(), acting_as(actor):
            if upload:
                evidence.file.save(checked.name, upload, save=False)
                stored.append(evidence.file.name)
            if thumbnail:
                evidence.thumbnail.save("thumb.jpg", ContentFile(thumbnail), save=False)
                stored.append(evidence.thumbnail.name)
            evidence.save()
    except BaseException:
        for name in stored:
            evidence.file.storage.delete(name)
        raise
    return evidence


@transaction.atomic
def evidence_verify(*, actor: User, evidence: Evidence) -> Evidence:
    _require(access.can_verify(actor, evidence.agreement))
    if evidence.verified_at:
        raise ValidationError(_("This evidence is already verified."))
    with acting_as(actor):
        evidence.verified_by = actor
        evidence.verified_at = timezone.now()
        evidence.save(update_fields=["verified_by", "verified_at"])
    return evidence


# Evaluation ---------------------------------------------------------------------------

RUBRIC = ("effectiveness", "efficiency", "benefit", "compliance")


@transaction.atomic
def evaluation_record(*, actor: User, agreement: Agreement, fields: dict) -> Evaluation:
    """Record an evaluation. Earlier evaluations are kept as they were (history)."""
    _require(access.can_evaluate(actor, agreement))
    problems = {}
    period = _text(fields.get("period"), 40)
    if not period:
        problems["period"] = _("Say which period is evaluated.")
    for criterion in RUBRIC:
        score = fields.get(criterion)
        if score is None or not 1 <= int(score) <= 5:
            problems[criterion] = _("Give a score from 1 to 5.")
        if not _text(fields.get(f"{criterion}_note")):
            problems[f"{criterion}_note"] = _("Justify the score in a sentence.")
    if fields.get("recommendation") not in Recommendation.values:
        problems["recommendation"] = _("Choose continue, revise or terminate.")
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        return Evaluation.objects.create(
            agreement=agreement,
            period=period,
            recommendation=fields["recommendation"],
            conclusion=_text(fields.get("conclusion")),
            evaluated_by=actor,
            **{criterion: int(fields[criterion]) for criterion in RUBRIC},
            **{f"{criterion}_note": _text(fields[f"{criterion}_note"]) for criterion in RUBRIC},
        )


@transaction.atomic
def evaluation_publish(*, actor: User, evaluation: Evaluation) -> Evaluation:
    """Publish the latest evaluation of an agreement (earlier ones are history, not published)."""
    _require(access.can_evaluate(actor, evaluation.agreement))
    evaluation = Evaluation.objects.select_for_update().select_related("agreement").get(pk=evaluation.pk)
    latest = Evaluation.objects.filter(agreement_id=evaluation.agreement_id).order_by("-created_at", "-id").first()
    if latest.pk != evaluation.pk:
        raise ValidationError(_("Only the latest evaluation can be published."))
    if evaluation.published_at:
        raise ValidationError(_("This evaluation is already published."))
    with acting_as(actor):
        evaluation.published_at = timezone.now()
        evaluation.published_by = actor
        evaluation.save(update_fields=["published_at", "published_by"])
    return evaluation

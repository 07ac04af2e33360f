import datetime
import io
from collections import defaultdict

from auditlog.context import disable_auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import TestCase
from django.utils import timezone

from jalin.accounts.models import Role
from jalin.agreements.models import Agreement, AgreementParty, Kind
from jalin.audit.models import AuditEntry
from jalin.audit.revisions import revisions
from jalin.demo import scale as national
from jalin.documents.models import Document
from jalin.governments.models import Government
from jalin.monitoring.health import Signal, implementing_kinds_q, implementing_q, signals_of, with_health
from jalin.monitoring.models import (
    Beneficiary,
    BudgetLine,
    BudgetRealisation,
    Evaluation,
    Evidence,
    Indicator,
    IndicatorPeriod,
    Obligation,
    ObligationStatus,
    ProgressReport,
    ReportIndicatorValue,
    ReportObligation,
    ReportStatus,
)
from jalin.monitoring.periods import period_starting, periods_between
from jalin.monitoring.services import indicator_window, path_target

# The scale data is built as on this day, so what the health signals find does not depend on
# the day the tests run. Mid-semester: the last due reports had time to be verified (right after
# a due date, late reports make "overdue" and "dormant" briefly more common).
TODAY = datetime.date(2026, 10, 15)
PROGRESS_ENTRY_MODELS = (ProgressReport, ReportIndicatorValue, ReportObligation, Beneficiary, BudgetRealisation)


def scale_agreements():
    return Agreement.objects.filter(number__startswith=national.NUMBER_PREFIX)


def monitored_agreements():
    return scale_agreements().filter(implementing_kinds_q(), signed_on__isnull=False)


def monitoring_fingerprint(code: str) -> dict:
    """Everything the monitoring seed wrote for one government, without primary keys."""
    agreements = scale_agreements().filter(government__code=code)

    def rows(model, prefix: str, *fields: str) -> list[str]:
        lookup = {f"{prefix}__in": agreements}
        names = [f"{prefix}__number", *fields]
        return sorted(map(str, model.objects.filter(**lookup).values_list(*names)))

    report = ("report__period_starts_on", "report__version")
    return {
        "obligations": rows(
            Obligation, "agreement", "description", "party", "due_on", "status", "met_on", "created_at"
        ),
        "indicators": rows(
            Indicator, "agreement", "name", "obligation__description", "baseline_value", "target_value", "created_at"
        ),
        "periods": rows(
            IndicatorPeriod,
            "indicator__agreement",
            "indicator__name",
            "starts_on",
            "target",
            "actual",
            "actual_report__version",
        ),
        "reports": rows(
            ProgressReport,
            "agreement",
            "period_starts_on",
            "version",
            "status",
            "created_by__username",
            "created_at",
            "submitted_at",
            "verified_by__username",
            "verified_at",
            "returned_at",
        ),
        "values": rows(ReportIndicatorValue, "report__agreement", *report, "indicator__name", "value"),
        "obligation_updates": rows(
            ReportObligation, "report__agreement", *report, "obligation__description", "status", "met_on"
        ),
        "beneficiaries": rows(Beneficiary, "report__agreement", *report, "group", "count", "method"),
        "budget_lines": rows(BudgetLine, "agreement", "description", "planned"),
        "realisations": rows(BudgetRealisation, "report__agreement", *report, "budget_line__description", "amount"),
        "evidence": rows(Evidence, "agreement", "caption", "created_at", "verified_at", "is_public"),
        "evaluations": rows(Evaluation, "agreement", "period", "recommendation", "created_at", "published_at"),
        "audit": rows(AuditEntry, "agreement", "object_repr", "timestamp", "actor__username"),
    }


def delete_monitoring(code: str) -> None:
    """Test only (the application never hard-deletes): take a government back to agreements
    without monitoring data, as a database seeded before the monitoring seed existed."""
    agreements = scale_agreements().filter(government__code=code)
    reports = ProgressReport.objects.filter(agreement__in=agreements)
    with disable_auditlog():
        AuditEntry.objects.filter(
            agreement__in=agreements, content_type=ContentType.objects.get_for_model(ProgressReport)
        ).delete()
        Evidence.objects.filter(agreement__in=agreements).delete()
        Evaluation.objects.filter(agreement__in=agreements).delete()
        IndicatorPeriod.objects.filter(indicator__agreement__in=agreements).delete()
        reports.filter(corrects__isnull=False).delete()
        reports.delete()
        BudgetLine.objects.filter(agreement__in=agreements).delete()
        Indicator.objects.filter(agreement__in=agreements).delete()
        Obligation.objects.filter(agreement__in=agreements).delete()


class ScaleDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_reference_data", verbosity=0)
        cls.lines = []
        cls.progress = national.build_scale("small", seed=7, today=TODAY, report=cls.lines.append)

    def test_it_fills_every_government_of_the_scale(self):
        lampung = Government.objects.filter(code__startswith="18")
        per_government = dict(scale_agreements().values_list("government__code").annotate(n=Count("pk")))
        self.assertEqual(set(per_government), set(lampung.values_list("code", flat=True)))
        self.assertTrue(all(count == 120 for count in per_government.values()), per_government)
        self.assertIn("16/16 governments", self.lines[-1])
        self.assertIn("progress entries", self.lines[-1])

    def test_it_builds_lineage_with_the_parents_partners(self):
        pks = Agreement.objects.filter(kind=Kind.PKS, parent__isnull=False).select_related("parent").first()
        self.assertIn(pks.parent.kind, (Kind.KSB, Kind.MOU))
        self.assertEqual(
            set(pks.partners.values_list("pk", flat=True)), set(pks.parent.partners.values_list("pk", flat=True))
        )
        addendum = Agreement.objects.filter(kind=Kind.ADDENDUM).select_related("parent").first()
        self.assertIn(addendum.parent.kind, (Kind.PKS, Kind.RK))
        self.assertTrue(Agreement.objects.filter(predecessor__isnull=False).exists())

    def test_every_agreement_has_a_party_an_audit_entry_and_searchable_partner_names(self):
        agreements = scale_agreements()
        self.assertFalse(agreements.exclude(pk__in=AgreementParty.objects.values("agreement_id")).exists())
        agreement_type = ContentType.objects.get_for_model(Agreement)
        self.assertEqual(
            AuditEntry.objects.filter(agreement__in=agreements, content_type=agreement_type).count(),
            agreements.count(),
        )
        party = AgreementParty.objects.select_related("agreement", "partner").first()
        self.assertIn(party.partner.name.lower(), party.agreement.search_text)

    def test_signed_agreements_carry_document_metadata(self):
        signed = scale_agreements().filter(signed_on__isnull=False)
        self.assertEqual(Document.objects.filter(agreement__in=signed).count(), signed.count())

    # Monitoring -----------------------------------------------------------------------------

    def test_only_signed_agreements_in_implementation_have_a_results_framework(self):
        monitored = monitored_agreements()
        counts = monitored.annotate(
            n_obligations=Count("obligations", distinct=True), n_indicators=Count("indicators", distinct=True)
        )
        self.assertGreater(monitored.count(), 500)
        for agreement in counts:
            self.assertIn(agreement.n_obligations, (1, 2, 3), agreement.number)
            self.assertIn(agreement.n_indicators, (2, 3, 4), agreement.number)
        others = scale_agreements().exclude(pk__in=monitored.values("pk"))
        self.assertTrue(others.filter(kind=Kind.KSB).exists() and others.filter(signed_on__isnull=True).exists())
        self.assertFalse(Obligation.objects.filter(agreement__in=others).exists())
        self.assertFalse(Indicator.objects.filter(agreement__in=others).exists())
        self.assertFalse(ProgressReport.objects.filter(agreement__in=others).exists())
        self.assertTrue(Indicator.objects.filter(obligation__isnull=False).exists())
        self.assertTrue(Indicator.objects.filter(obligation__isnull=True).exists())
        self.assertFalse(
            Indicator.objects.filter(obligation__isnull=False).exclude(obligation__agreement=F("agreement")).exists()
        )

    def test_every_indicator_has_a_target_on_the_path_for_each_period_of_the_agreement(self):
        periods = defaultdict(list)
        for row in IndicatorPeriod.objects.values("indicator_id", "starts_on", "ends_on", "target").order_by(
            "starts_on"
        ):
            periods[row["indicator_id"]].append(row)
        indicators = Indicator.objects.select_related("agreement")
        self.assertGreater(len(indicators), 1000)
        for indicator in indicators:
            start, end = indicator_window(indicator.agreement)
            expected = periods_between(start, end)
            self.assertEqual(
                [(row["starts_on"], row["ends_on"]) for row in periods[indicator.pk]],
                [(period.starts_on, period.ends_on) for period in expected],
                indicator.agreement.number,
            )
            self.assertEqual(
                [row["target"] for row in periods[indicator.pk]],
                [path_target(indicator, start, end, period.ends_on) for period in expected],
            )
            self.assertEqual(periods[indicator.pk][-1]["target"], indicator.target_value)

    def test_verified_reports_give_every_indicator_a_value_that_becomes_the_periods_actual(self):
        indicators = defaultdict(set)
        for pk, agreement_id in Indicator.objects.values_list("pk", "agreement_id"):
            indicators[agreement_id].add(pk)
        values = defaultdict(dict)
        for report_id, indicator_id, value in ReportIndicatorValue.objects.values_list(
            "report_id", "indicator_id", "value"
        ):
            values[report_id][indicator_id] = value
        verified = ProgressReport.objects.filter(status=ReportStatus.VERIFIED)
        self.assertGreater(verified.count(), 2000)
        actuals = {
            (row.indicator_id, row.starts_on): row
            for row in IndicatorPeriod.objects.filter(actual__isnull=False).only(
                "indicator_id", "starts_on", "actual", "actual_report_id"
            )
        }
        checked = 0
        for report in verified:
            self.assertEqual(set(values[report.pk]), indicators[report.agreement_id], report.pk)
            for indicator_id, value in values[report.pk].items():
                period = actuals.pop((indicator_id, report.period_starts_on))
                self.assertEqual((period.actual, period.actual_report_id), (value, report.pk))
                checked += 1
        self.assertEqual(actuals, {}, "an actual without a verified report")
        self.assertGreater(checked, 6000)

    def test_report_contents_belong_to_the_reports_agreement(self):
        self.assertFalse(ReportIndicatorValue.objects.exclude(indicator__agreement=F("report__agreement")).exists())
        self.assertFalse(ReportObligation.objects.exclude(obligation__agreement=F("report__agreement")).exists())
        self.assertFalse(BudgetRealisation.objects.exclude(budget_line__agreement=F("report__agreement")).exists())
        self.assertFalse(
            Evidence.objects.filter(report__isnull=False).exclude(report__agreement=F("agreement")).exists()
        )
        self.assertFalse(BudgetRealisation.objects.filter(report__status=ReportStatus.DRAFT).exists())
        self.assertFalse(Beneficiary.objects.filter(count__lte=0).exists())
        self.assertTrue(Beneficiary.objects.filter(report__status=ReportStatus.VERIFIED).exists())
        per_report = ProgressReport.objects.exclude(status=ReportStatus.DRAFT).annotate(
            n_obligations=Count("obligation_updates", distinct=True),
            n_expected=Count("agreement__obligations", distinct=True),
            n_beneficiaries=Count("beneficiaries", distinct=True),
        )
        self.assertFalse(per_report.exclude(n_obligations=F("n_expected")).exists())
        self.assertFalse(per_report.filter(n_beneficiaries=0).exists())

    def test_reports_follow_the_workflow_of_the_services(self):
        officers_only = ~Q(created_by__role=Role.OPD_OFFICER)
        self.assertFalse(ProgressReport.objects.filter(officers_only).exists())
        statuses = dict(ProgressReport.objects.values_list("status").annotate(n=Count("pk")))
        self.assertEqual(set(statuses), set(ReportStatus.values))
        self.assertGreater(statuses[ReportStatus.VERIFIED], sum(statuses.values()) * 0.8)
        for report in ProgressReport.objects.select_related("agreement", "corrects", "verified_by"):
            self.assertEqual(period_starting(report.period_starts_on).ends_on, report.period_ends_on)
            start, end = indicator_window(report.agreement)
            self.assertTrue(report.period_ends_on >= start and report.period_starts_on <= min(end, TODAY))
            self.assertLess(timezone.localdate(report.created_at), TODAY)
            if report.status == ReportStatus.DRAFT:
                self.assertIsNone(report.submitted_at)
                continue
            self.assertEqual(report.submitted_by_id, report.created_by_id)
            self.assertLessEqual(report.created_at, report.submitted_at)
            if report.status in (ReportStatus.VERIFIED, ReportStatus.SUPERSEDED):
                self.assertEqual(report.verified_by.role, Role.ADMIN)
                self.assertLess(report.submitted_at, report.verified_at)
                self.assertLess(timezone.localdate(report.verified_at), TODAY)
            if report.status == ReportStatus.RETURNED:
                self.assertTrue(report.returned_reason)
            if report.corrects:
                self.assertEqual(
                    (report.version, report.status, report.corrects.status),
                    (2, ReportStatus.VERIFIED, ReportStatus.SUPERSEDED),
                )
        self.assertEqual(
            ProgressReport.objects.filter(status=ReportStatus.SUPERSEDED).count(),
            ProgressReport.objects.filter(corrects__isnull=False).count(),
        )

    def test_obligations_carry_the_status_of_their_last_verified_report(self):
        latest = {}
        for update in ReportObligation.objects.filter(report__status=ReportStatus.VERIFIED).order_by(
            "report__period_starts_on"
        ):
            latest[update.obligation_id] = (update.status, update.met_on)
        obligations = Obligation.objects.all()
        for obligation in obligations:
            expected = latest.get(obligation.pk, (ObligationStatus.SCHEDULED, None))
            self.assertEqual((obligation.status, obligation.met_on), expected, obligation.pk)
        statuses = set(obligations.values_list("status", flat=True))
        self.assertEqual(statuses, set(ObligationStatus.values))
        self.assertFalse(obligations.filter(met_on__gte=TODAY).exists())

    def test_evidence_is_metadata_of_photos_verified_with_their_report(self):
        evidence = Evidence.objects.select_related("report")
        self.assertGreater(evidence.count(), 100)
        for item in evidence:
            self.assertEqual(item.content_type, "image/jpeg")
            self.assertTrue(item.file.name.endswith("scale-data-placeholder.jpg"))
            self.assertEqual(item.verified_at, item.report.verified_at)
            self.assertLess(item.created_at, item.report.submitted_at)
        self.assertTrue(evidence.filter(is_public=True, verified_at__isnull=False).exists())
        self.assertTrue(evidence.filter(verified_at__isnull=True).exists())
        self.assertTrue(Evaluation.objects.exists())
        self.assertFalse(any(timezone.localdate(e.created_at) >= TODAY for e in Evaluation.objects.all()))

    def test_every_report_has_a_creation_entry_in_the_audit_trail(self):
        report_type = ContentType.objects.get_for_model(ProgressReport)
        entries = {
            entry.object_id: entry
            for entry in AuditEntry.objects.filter(content_type=report_type).select_related("agreement")
        }
        reports = ProgressReport.objects.select_related("agreement")
        self.assertEqual(set(entries), set(reports.values_list("pk", flat=True)))
        for report in reports:
            entry = entries[report.pk]
            self.assertEqual(entry.action, AuditEntry.Action.CREATE)
            self.assertEqual(
                (entry.agreement_id, entry.government_id), (report.agreement_id, report.agreement.government_id)
            )
            self.assertEqual((entry.actor_id, entry.timestamp), (report.created_by_id, report.created_at))

    def test_progress_counts_the_rows_written(self):
        entries = sum(model.objects.count() for model in PROGRESS_ENTRY_MODELS)
        self.assertEqual(self.progress.progress_entries, entries)
        self.assertEqual(self.progress.monitoring.indicator_periods, IndicatorPeriod.objects.count())
        seeded = [ContentType.objects.get_for_model(model) for model in (Agreement, ProgressReport)]
        self.assertEqual(self.progress.audit_entries, AuditEntry.objects.filter(content_type__in=seeded).count())
        self.assertIn(f"{entries:,} progress entries", self.lines[-1])
        # ~1,900 agreements here give ~35,000 entries; the national scale (~52 times more) passes 1,000,000.
        self.assertGreater(entries, 1_000_000 / 52)

    def test_a_realistic_minority_of_agreements_trips_each_health_signal(self):
        in_force = scale_agreements().filter(implementing_q(TODAY))
        health = with_health(in_force, TODAY)
        counts = health.aggregate(**{s.value: Count("pk", filter=Q(**{f"h_{s.value}": True})) for s in Signal})
        total = in_force.count()
        for signal in (Signal.PAPER_ONLY, Signal.DORMANT, Signal.REPORT_OVERDUE, Signal.OFF_TRACK):
            self.assertGreater(counts[signal], total * 0.03, signal)
            self.assertLess(counts[signal], total * 0.4, signal)
        monitoring_signals = Q(h_paper_only=True) | Q(h_dormant=True) | Q(h_report_overdue=True) | Q(h_off_track=True)
        self.assertGreater(health.exclude(monitoring_signals).count(), total / 2)
        never_reported = (
            with_health(in_force.filter(signed_on__lt=TODAY - datetime.timedelta(days=365)), TODAY, details=True)
            .exclude(progress_reports__isnull=False)
            .first()
        )
        found = {reason.signal for reason in signals_of(never_reported, TODAY)}
        self.assertLessEqual({Signal.PAPER_ONLY, Signal.DORMANT, Signal.REPORT_OVERDUE}, found)
        off_track = with_health(in_force, TODAY, details=True).filter(h_off_track=True).first()
        self.assertTrue(off_track.off_indicator)
        self.assertNotEqual(off_track.off_actual, off_track.off_target)

    def test_filling_a_government_gives_it_a_revision(self):
        # The bulk inserts write audit entries too, so a dashboard summary stored before the
        # data was loaded (jalin.monitoring.selectors.government_dashboard) is recomputed.
        lampung = list(Government.objects.filter(code__startswith="18").values_list("pk", flat=True))
        self.assertNotIn(0, revisions(lampung).values())

    def test_no_agreement_has_its_lead_agency_among_the_supporting_ones(self):
        Supporting = Agreement.supporting_agencies.through
        self.assertTrue(Supporting.objects.exists())
        self.assertFalse(Supporting.objects.filter(agency_id=F("agreement__lead_agency_id")).exists())

    def test_the_command_skips_every_government_already_filled(self):
        before = (Agreement.objects.count(), ProgressReport.objects.count())
        out = io.StringIO()
        call_command("seed_demo", scale="small", seed=7, force=True, stdout=out)
        self.assertIn("16", out.getvalue())
        self.assertEqual((Agreement.objects.count(), ProgressReport.objects.count()), before)
        progress = national.build_scale("small", seed=7, today=TODAY, report=lambda line: None)
        self.assertEqual((progress.governments, progress.skipped), (0, 16))

    def test_a_government_seeded_before_monitoring_gets_the_same_monitoring_on_the_next_run(self):
        fingerprint = monitoring_fingerprint("18.09")
        self.assertTrue(fingerprint["reports"] and fingerprint["periods"] and fingerprint["audit"])
        agreements = Agreement.objects.count()
        delete_monitoring("18.09")
        self.assertFalse(Obligation.objects.filter(agreement__government__code="18.09").exists())

        progress = national.build_scale("small", seed=7, today=TODAY, report=lambda line: None)

        self.assertEqual((progress.governments, progress.skipped, progress.agreements), (1, 15, 0))
        self.assertEqual(Agreement.objects.count(), agreements)
        self.assertEqual(monitoring_fingerprint("18.09"), fingerprint)

"""A monitored agreement on a dated timeline, for the period-cutoff and issuing tests."""

import datetime
from decimal import Decimal

import time_machine
from personas import build_world

from jalin.monitoring import services
from jalin.monitoring.periods import Period

TZ = datetime.timezone(datetime.timedelta(hours=7))


def at(year, month, day, hour=10):
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=TZ), tick=False)


S1_2026 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
S2_2026 = Period(datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))


def monitored_world():
    """Pesawaran's PKS (signed 16 July 2025, ends 2028) with two indicators, an obligation
    of its own and a budget line; its S1 2026 report verified on 10 July 2026."""
    with at(2026, 7, 1):
        world = build_world()
        w = world
        services.indicator_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "Desa terlayani", "indicator_type": "output", "target_value": 100, "unit": "desa"},
        )
        services.indicator_create(
            actor=w.oscar,
            agreement=w.pks,
            fields={"name": "Puskesmas keliling", "indicator_type": "output", "target_value": 10, "unit": "unit"},
        )
        services.obligation_create(actor=w.oscar, agreement=w.pks, fields={"description": "Pelatihan kader"})
        services.budget_line_create(
            actor=w.alice,
            agreement=w.pks,
            fields={"description": "Operasional", "party": "ours", "source": "apbd", "planned": 100_000_000},
        )
    with at(2026, 7, 10):
        progress_report(world, S1_2026, villages=30, units=4, patients=250, spent=40_000_000)
    return world


def progress_report(world, period, *, villages, units, patients, spent, met_on=None):
    w = world
    indicators = list(w.pks.indicators.order_by("pk"))
    obligation = w.pks.obligations.get()
    report = services.report_start(actor=w.oscar, agreement=w.pks, period=period)
    services.report_save(
        actor=w.oscar,
        report=report,
        summary="Berjalan",
        indicator_values={indicators[0].pk: Decimal(villages), indicators[1].pk: Decimal(units)},
        obligation_updates={obligation.pk: ("met", met_on)} if met_on else {},
        realisations={w.pks.budget_lines.get().pk: Decimal(spent)},
        beneficiaries=[services.BeneficiaryInput("patients", patients, "Daftar hadir")],
    )
    services.report_submit(actor=w.oscar, report=report)
    return services.report_verify(actor=w.alice, report=report)

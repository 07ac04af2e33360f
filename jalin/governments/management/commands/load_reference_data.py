"""Load the reference data in jalin/governments/data: governments and government affairs.

Safe to run again: rows are matched by code, missing ones are created and changed ones
updated, in a few bulk queries. See jalin/governments/data/SOURCE.md for the sources.
"""

import csv
from pathlib import Path

from auditlog.registry import auditlog
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from jalin.audit import bulk as audit_bulk
from jalin.governments.models import Affair, Government

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
NATIONAL_CODE = "00"
NATIONAL_NAME = "Pemerintah Pusat (Kementerian Dalam Negeri)"


def read_csv(filename: str) -> list[dict[str, str]]:
    with open(DATA_DIR / filename, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def sync(model, rows: dict[str, dict]) -> tuple[int, int]:
    """Create the rows whose code is missing, update those whose fields differ.

    `rows` maps each code to the values of the other fields. Returns (created, updated).
    """
    existing = model.objects.in_bulk(list(rows), field_name="code")
    to_create, to_update = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(obj, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(obj, field, value)
            to_update.append(obj)

    # Through the audit trail like every other write: one INSERT and an audit entry per new row;
    # the rare changed row is saved on its own, so its entry records before and after.
    if auditlog.contains(model):
        audit_bulk.bulk_create(model, to_create)
    else:
        model.objects.bulk_create(to_create)  # the affairs of Permendagri 90/2019: national, not audited
    for obj in to_update:
        obj.save(update_fields=list(rows[obj.code]))
    return len(to_create), len(to_update)


def codes_to_ids(level: str) -> dict[str, int]:
    return dict(Government.objects.filter(level=level).values_list("code", "id"))


class Command(BaseCommand):
    help = "Loads Kemendagri region codes and Permendagri 90/2019 government affairs."

    @transaction.atomic
    def handle(self, *args, **options):
        national = {NATIONAL_CODE: {"name": NATIONAL_NAME, "level": Government.Level.NATIONAL, "parent_id": None}}
        counts = [sync(Government, national)]

        national_id = codes_to_ids(Government.Level.NATIONAL)[NATIONAL_CODE]
        provinces = {
            row["code"]: {
                "name": f"Provinsi {row['name']}",
                "level": Government.Level.PROVINCE,
                "parent_id": national_id,
            }
            for row in read_csv("provinces.csv")
        }
        counts.append(sync(Government, provinces))

        province_ids = codes_to_ids(Government.Level.PROVINCE)
        regencies = {
            row["code"]: {
                "name": row["name"],
                "level": Government.Level.CITY if row["name"].startswith("Kota ") else Government.Level.REGENCY,
                "parent_id": province_ids[row["province_code"]],
            }
            for row in read_csv("regencies.csv")
        }
        counts.append(sync(Government, regencies))

        affairs = {row["code"]: {"name": row["name"], "group": row["group"]} for row in read_csv("affairs.csv")}
        affairs_created, affairs_updated = sync(Affair, affairs)

        if options["verbosity"] >= 1:
            summary = _(
                "Governments: %(created)d created, %(updated)d updated. "
                "Government affairs: %(affairs_created)d created, %(affairs_updated)d updated."
            ) % {
                "created": sum(created for created, _updated in counts),
                "updated": sum(updated for _created, updated in counts),
                "affairs_created": affairs_created,
                "affairs_updated": affairs_updated,
            }
            self.stdout.write(self.style.SUCCESS(summary))

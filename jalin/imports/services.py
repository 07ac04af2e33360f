"""Importing an existing register. Every agreement and partner is written through
jalin.agreements.services and jalin.partners.services, so every rule of the register
applies to imported rows exactly as to typed ones.

A run (dry or real) processes every row inside one transaction. A dry run always rolls
back, so its preview is exactly what the real run would do, problems included. A real run
commits only when no row has a problem: all or nothing.
"""

import contextlib
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from auditlog.cid import correlation_id
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements import services as agreement_services
from jalin.agreements.models import Agreement, AgreementParty, Category, Financing, Kind
from jalin.audit.context import acting_as
from jalin.governments.models import Agency, Government
from jalin.imports import parsing
from jalin.imports.models import ImportStatus, RegisterImport
from jalin.lib.text import CONTROL_CHARACTERS, ControlCharacterValidator
from jalin.lib.uploads import sanitise_name
from jalin.partners import services as partner_services
from jalin.partners.models import Partner, PartnerType, normalise_name

REQUIRED_FIELDS = ("title", "partners", "lead_agency")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"
    ERROR = "error"


@dataclass
class Problem:
    column: str  # "E (Tgl Berakhir)" or "" when the problem is the row's as a whole
    message: str


@dataclass
class RowResult:
    row: int
    action: str = Action.CREATE
    number: str = ""
    title: str = ""
    partners: list[str] = field(default_factory=list)
    new_partners: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    agreement_id: int | None = None


@dataclass
class ImportResult:
    rows: list[RowResult]
    file_problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_problems) or any(row.problems for row in self.rows)

    @property
    def problem_count(self) -> int:
        return len(self.file_problems) + sum(len(row.problems) for row in self.rows)

    def problem_lines(self) -> list[str]:
        lines = [problem.message for problem in self.file_problems]
        for row in self.rows:
            for problem in row.problems:
                where = _("Row %(row)d") % {"row": row.row}
                if problem.column:
                    where += ", " + _("column %(column)s") % {"column": problem.column}
                lines.append(f"{where}: {problem.message}")
        return lines


class ImportFailed(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("import failed")
        self.result = result


# Permission and mapping ----------------------------------------------------------------


def can_import(user) -> bool:
    """Bringing in a register creates partners and agreements: the Bagian Kerja Sama admin's job."""
    return access.can_manage_register(user) and access.can_create_agreement(user)


def validate_mapping(mapping: dict, table: parsing.Table) -> dict[str, str]:
    columns = {str(column.index) for column in table.columns}
    clean: dict[str, str] = {}
    used: dict[str, str] = {}
    errors = []
    for index, target in mapping.items():
        if not target:
            continue
        if str(index) not in columns or target not in parsing.FIELDS:
            errors.append(_("The column mapping refers to a column or field that does not exist."))
            continue
        if target in used:
            errors.append(_("Two columns are mapped to “%(field)s”; choose one.") % {"field": parsing.FIELDS[target]})
            continue
        used[target] = index
        clean[str(index)] = target
    for target in REQUIRED_FIELDS:
        if target not in used:
            errors.append(_("Choose the column that holds “%(field)s”.") % {"field": parsing.FIELDS[target]})
    if errors:
        raise ValidationError(errors)
    return clean


# Value lookups -------------------------------------------------------------------------


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[parsing.normalise_header(value)] = value
        for language in ("id", "en"):
            with translation.override(language):
                lookup[parsing.normalise_header(str(label))] = value
    return lookup


_KIND_WORDS = [
    (r"\b(adendum|addendum|amandemen)\b", Kind.ADDENDUM),
    (r"\b(pks|perjanjian kerja ?sama)\b", Kind.PKS),
    (r"\b(ksb|kesepakatan bersama)\b", Kind.KSB),
    (r"\b(mou|nota kesepahaman|memorandum of understanding)\b", Kind.MOU),
    (r"\b(loi|letter of intent|surat pernyataan kehendak)\b", Kind.LOI),
    (r"\b(rk|rencana kerja)\b", Kind.RK),
    (r"\b(nk|nota kesepakatan)\b", Kind.NK),
]
_CATEGORY_WORDS = [
    (r"\bwajib\b|\bmandatory\b", Category.KSDD_MANDATORY),
    (r"\bksdpk\b|pihak ketiga|third party", Category.KSDPK),
    (r"\bksdpl\b|pemerintah daerah luar negeri|foreign local", Category.KSDPL),
    (r"\bksdll\b|lembaga luar negeri|foreign institution", Category.KSDLL),
    (r"\bsinergi\b|\bsynergy\b|pemerintah pusat|central", Category.SYNERGY),
    (r"\bksdd\b|sukarela|voluntary|antar ?daerah|daerah lain", Category.KSDD_VOLUNTARY),
]
_FINANCING_WORDS = [
    (r"bersama|sharing|shared|kedua belah|masing", Financing.SHARED),
    (r"\bapbd\b|daerah", Financing.APBD),
    (r"mitra|pihak kedua|partner|swasta|csr", Financing.PARTNER),
    (r"tidak ada|tanpa|none|nihil", Financing.NONE),
]
_PARTNER_TYPE_WORDS = [
    (r"\b(pemerintah (kabupaten|kota|provinsi)|pemkab|pemkot|pemprov|kabupaten|kota|provinsi)\b", "government"),
    (r"\b(universitas|institut|politeknik|sekolah tinggi|university|universitas)\b", PartnerType.UNIVERSITY),
    (r"\bbank\b", PartnerType.BANK),
    (r"\b(kementerian|kemenkes|kemendagri|badan nasional|lembaga negara|ministry)\b", PartnerType.MINISTRY),
    (r"\b(persero|bumn)\b", PartnerType.BUMN),
    (r"\b(perseroda|perumda|pdam|bumd)\b", PartnerType.BUMD),
    (r"\b(yayasan|lembaga swadaya|perkumpulan|ormas|lsm|ngo)\b", PartnerType.NGO),
    (r"\b(pt|cv|tbk)\b", PartnerType.PRIVATE),
]
_CATEGORY_FOR_PARTNER = {
    PartnerType.GOVERNMENT: Category.KSDD_VOLUNTARY,
    PartnerType.MINISTRY: Category.SYNERGY,
    PartnerType.FOREIGN_GOVERNMENT: Category.KSDPL,
    PartnerType.FOREIGN_INSTITUTION: Category.KSDLL,
}


def _from_words(text: str, rules) -> str | None:
    lowered = text.lower()
    for pattern, value in rules:
        if re.search(pattern, lowered):
            return value
    return None


class _Lookups:
    """Per-run caches: agencies, partners and choice labels of one government."""

    def __init__(self, government: Government):
        self.government = government
        self.kinds = _choice_lookup(Kind.choices)
        self.categories = _choice_lookup(Category.choices)
        self.financing = _choice_lookup(Financing.choices)
        self.partner_types = _choice_lookup(PartnerType.choices)
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.filter(government=government, archived_at__isnull=True):
            for name in (agency.name, agency.short_name):
                if name:
                    self.agencies.setdefault(normalise_name(name), agency)
        self.partners: dict[str, Partner] = {}
        self.regions = None

    def choice(self, text: str, lookup: dict, rules) -> str | None:
        key = parsing.normalise_header(text)
        if key in lookup:
            return lookup[key]
        bracket = re.search(r"\(([^)]+)\)", text)
        if bracket and parsing.normalise_header(bracket.group(1)) in lookup:
            return lookup[parsing.normalise_header(bracket.group(1))]
        return _from_words(text, rules)

    def agency(self, text: str) -> Agency | None:
        key = normalise_name(text)
        if key in self.agencies:
            return self.agencies[key]
        # "Dinas Kesehatan Kabupaten Pesawaran" -> the longest agency name it starts with
        matches = [name for name in self.agencies if key.startswith(name + " ")]
        return self.agencies[max(matches, key=len)] if matches else None

    def partner(self, name: str) -> Partner | None:
        key = normalise_name(name)
        if key not in self.partners:
            found = list(partner_services.find_duplicates(government_id=self.government.pk, fields={"name": name})[:2])
            self.partners[key] = found[0] if found else None
        return self.partners[key]

    def region(self, name: str) -> Government | None:
        if self.regions is None:
            self.regions = {normalise_name(g.name): g for g in Government.objects.exclude(pk=self.government.pk)}
        key = normalise_name(re.sub(r"(?i)\bpemerintah\b|\bpemkab\b|\bpemkot\b|\bpemprov\b", "", name))
        for prefix in ("", "kabupaten ", "kota ", "provinsi "):
            if prefix + key in self.regions:
                return self.regions[prefix + key]
        return None


class _Index:
    """Where the run finds agreements without a query per row: the numbers of the
    government's agreements and the partners' numbers of their parties, read once and kept
    up to date with the run's own writes (see `wrote`). Parent documents are kept as loaded
    (or as just created) while the run changes neither them nor the documents above them."""

    def __init__(self, government: Government, parent_numbers: set[str]):
        self.government = government
        self.parent_numbers = parent_numbers  # the numbers the file names as parents
        self.numbers: dict[str, int] = {}  # our number -> agreement (archived ones included)
        self.live: set[int] = set()
        rows = Agreement.objects.filter(government=government).exclude(number="")
        for pk, number, archived_at in rows.values_list("pk", "number", "archived_at"):
            self.numbers[number] = pk
            if archived_at is None:
                self.live.add(pk)
        self.party_numbers: dict[tuple[int, str], int] = {}  # (partner, partner's number) -> agreement
        parties = AgreementParty.objects.filter(agreement__government=government).exclude(party_number="")
        for partner_id, party_number, agreement_id in parties.values_list("partner_id", "party_number", "agreement_id"):
            self.party_numbers[(partner_id, party_number)] = agreement_id
        self.parents: dict[int, Agreement] = {}

    def live_by_number(self, number: str) -> int | None:
        pk = self.numbers.get(number)
        return pk if pk in self.live else None

    def by_party_number(self, partner: Partner, party_number: str) -> int | None:
        return self.party_numbers.get((partner.pk, party_number))

    def parent(self, number: str) -> Agreement | None:
        pk = self.numbers.get(number)
        if pk is None:
            return None
        if pk not in self.parents:
            parent = Agreement.objects.filter(pk=pk).first()
            if parent is None:  # gone since the index was read
                return None
            self.parents[pk] = parent
        return self.parents[pk]

    def wrote(self, agreement: Agreement, parties, before: Agreement | None) -> None:
        """Record a create (before is None) or an update the run has just written."""
        if before is not None:
            # The updated agreement may be a loaded parent, or above one: keep only the
            # others that have no parent (their whole chain is themselves).
            self.parents = {
                pk: parent for pk, parent in self.parents.items() if pk != agreement.pk and parent.parent_id is None
            }
            if self.numbers.get(before.number) == agreement.pk:
                del self.numbers[before.number]
            for party in before.parties.all():
                if self.party_numbers.get((party.partner_id, party.party_number)) == agreement.pk:
                    del self.party_numbers[(party.partner_id, party.party_number)]
        if agreement.number:
            self.numbers[agreement.number] = agreement.pk
            if before is None and agreement.number in self.parent_numbers:
                self.parents[agreement.pk] = agreement  # as just saved: no need to read it back
        if agreement.archived_at is None:
            self.live.add(agreement.pk)
        for party in parties:
            if party.party_number.strip():
                self.party_numbers[(party.partner.pk, party.party_number.strip())] = agreement.pk


# Processing one row --------------------------------------------------------------------


class _Row:
    def __init__(self, row: parsing.Row, mapping: dict[str, str], table: parsing.Table, result: RowResult):
        self.row = row
        self.result = result
        self.columns = {column.index: column for column in table.columns}
        self.where = {}
        self.raw = {}
        for index, target in mapping.items():
            index = int(index)
            column = self.columns.get(index)
            self.where[target] = f"{column.letter} ({column.label})" if column else parsing.column_letter(index)
            self.raw[target] = row.cells[index] if index < len(row.cells) else None

    def problem(self, target: str, message: str) -> None:
        self.result.problems.append(Problem(self.where.get(target, ""), message))

    def warning(self, target: str, message: str) -> None:
        self.result.warnings.append(Problem(self.where.get(target, ""), message))

    def text(self, target: str) -> str:
        try:
            return parsing.text_value(self.raw.get(target))
        except parsing.CellProblem as error:
            self.problem(target, str(error))
            return ""

    def date(self, target: str, *, end: bool = False):
        try:
            day, year_only = parsing.parse_date(self.raw.get(target), end_of_period=end)
        except parsing.CellProblem as error:
            self.problem(target, str(error))
            return None
        if year_only:
            self.warning(target, _("Only the year is given; %(date)s is used.") % {"date": day.strftime("%d-%m-%Y")})
        return day

    def amount(self, target: str) -> Decimal | None:
        try:
            return parsing.parse_amount(self.raw.get(target))
        except parsing.CellProblem as error:
            self.problem(target, str(error))
            return None

    def items(self, target: str) -> list[str]:
        try:
            return parsing.parse_list(self.raw.get(target))
        except parsing.CellProblem as error:
            self.problem(target, str(error))
            return []


def _field_column(field_name: str) -> str:
    return {"__all__": "", "supporting_agencies": "lead_agency", "longer_term_basis": "ends_on"}.get(
        field_name, field_name
    )


class _Run:
    def __init__(self, *, actor: User, table: parsing.Table, mapping: dict[str, str], dry_run: bool):
        self.actor = actor
        self.table = table
        self.mapping = mapping
        self.dry_run = dry_run
        self.government = actor.government
        self.lookups = _Lookups(self.government)
        self.index = _Index(self.government, self.parent_numbers())
        self.seen_numbers: dict[str, int] = {}
        self.created_partners: dict[str, Partner] = {}

    def process(self) -> ImportResult:
        result = ImportResult(rows=[], dry_run=self.dry_run)
        for row in self.in_lineage_order():
            result.rows.append(self.process_row(row))
        result.rows.sort(key=lambda item: item.row)
        return result

    def parent_numbers(self) -> set[str]:
        """The numbers the file names as parent documents."""
        numbers = set()
        for index, target in self.mapping.items():
            if target == "parent_number":
                for row in self.table.rows:
                    if int(index) < len(row.cells):
                        with contextlib.suppress(parsing.CellProblem):  # reported on its row
                            numbers.add(parsing.text_value(row.cells[int(index)]))
        return numbers - {""}

    def in_lineage_order(self) -> list[parsing.Row]:
        """A PKS may come above its KSB in the file (an export lists the newest first): rows
        are written parents first, so that a parent named in the same file is found."""
        columns = {target: int(index) for index, target in self.mapping.items()}
        if "parent_number" not in columns or "number" not in columns:
            return self.table.rows

        def cell(row: parsing.Row, target: str) -> str:
            index = columns[target]
            return parsing._text(row.cells[index]).lower() if index < len(row.cells) else ""

        parent_of = {cell(row, "number"): cell(row, "parent_number") for row in self.table.rows if cell(row, "number")}

        def depth(row: parsing.Row) -> int:
            """How many ancestors the row names (up to 5), from its own parent cell: rows
            without a number of their own are placed by their parent too."""
            parent, steps = cell(row, "parent_number"), 0
            while parent and steps < 5:
                parent, steps = parent_of.get(parent, ""), steps + 1
            return steps

        return sorted(self.table.rows, key=lambda row: (depth(row), row.number))

    def process_row(self, source: parsing.Row) -> RowResult:
        result = RowResult(row=source.number)
        row = _Row(source, self.mapping, self.table, result)
        texts = [parsing._text(cell) for cell in source.cells]
        if parsing.is_subtotal_row(texts):
            result.action = Action.SKIP
            result.changes.append(_("Subtotal row, skipped."))
            return result
        formulas = [(index, cell) for index, cell in enumerate(source.cells) if isinstance(cell, parsing.Formula)]
        for index, formula in formulas:
            column = row.columns.get(index)
            result.problems.append(
                Problem(
                    f"{column.letter} ({column.label})" if column else parsing.column_letter(index),
                    _(
                        "The cell holds a formula (%(formula)s). Jalin imports values only: copy the sheet and "
                        "paste it as values."
                    )
                    % {"formula": formula[:80]},
                )
            )
        for index, text in enumerate(texts):  # the same refusal as every form and the API
            if CONTROL_CHARACTERS.search(text or ""):
                column = row.columns.get(index)
                where = f"{column.letter} ({column.label})" if column else parsing.column_letter(index)
                result.problems.append(Problem(where, str(ControlCharacterValidator.message)))
        if formulas or result.problems:
            result.action = Action.ERROR
            return result
        title = row.text("title")
        number = row.text("number")
        partner_names = row.items("partners")
        result.number, result.title, result.partners = number, title, partner_names
        if not (title or number or partner_names):
            result.action = Action.SKIP
            result.changes.append(_("No title, number or partner: not an agreement, skipped."))
            return result
        if not title:
            row.problem("title", _("The title is empty."))
        if not partner_names:
            row.problem("partners", _("No partner is named."))
        if number:
            key = number.lower()
            if key in self.seen_numbers:
                row.problem(
                    "number",
                    _("The number %(number)s already appears in row %(row)d.")
                    % {"number": number, "row": self.seen_numbers[key]},
                )
                result.action = Action.ERROR
                return result
            self.seen_numbers[key] = source.number

        existing = self.find_existing(row, number, title, partner_names)
        fields = self.base_fields(existing)
        fields["title"] = title or fields.get("title", "")
        if number:
            fields["number"] = number
        lead_text = row.text("lead_agency")
        if lead_text:
            agency = self.lookups.agency(lead_text)
            if agency is None:
                row.problem(
                    "lead_agency",
                    _("No agency named “%(name)s” is in the register. Add it under Agencies first, or fix the name.")
                    % {"name": lead_text},
                )
            fields["lead_agency"] = agency
        elif existing is None:
            row.problem("lead_agency", _("The lead agency is empty."))
        for target in ("object", "scope", "intended_benefits", "dprd_approval_ref"):
            value = row.text(target)
            if value:
                fields[target] = value
        for target in ("signed_on", "effective_on", "ends_on"):
            day = row.date(target, end=target == "ends_on")
            if day:
                fields[target] = day
        value = row.amount("value")
        if value is not None:
            fields["value"] = value
        financing_text = row.text("financing")
        if financing_text:
            financing = self.lookups.choice(financing_text, self.lookups.financing, _FINANCING_WORDS)
            if financing is None:
                row.problem(
                    "financing", _("“%(value)s” is not a known source of financing.") % {"value": financing_text}
                )
            else:
                fields["financing"] = financing
        elif value and existing is None:
            fields["financing"] = Financing.APBD
            row.warning("value", _("A value without a source of financing: APBD is assumed."))

        parties, partner_types = self.parties(row, partner_names, existing)
        self.kind_and_category(row, fields, existing, partner_types)
        parent_number = row.text("parent_number")
        if parent_number:
            parent = self.index.parent(parent_number)
            if parent is None:
                row.problem(
                    "parent_number",
                    _("No agreement numbered %(number)s is in the register or earlier in this file.")
                    % {"number": parent_number},
                )
            fields["parent"] = parent

        if result.problems:
            result.action = Action.ERROR
            return result
        return self.write(row, result, fields, parties, existing)

    def find_existing(self, row: _Row, number: str, title: str, partner_names: list[str]) -> Agreement | None:
        if number and (pk := self.index.live_by_number(number)):
            return self.existing(pk)
        partner_numbers = row.items("partner_number")
        for name, party_number in zip(partner_names, partner_numbers, strict=False):
            partner = self.lookups.partner(name)
            if partner and party_number and (pk := self.index.by_party_number(partner, party_number)):
                return self.existing(pk)
        if not number and title:
            # No number anywhere: the same title with the same first partner.
            candidates = Agreement.objects.filter(
                government=self.government, archived_at__isnull=True, number="", title__iexact=title
            )
            if partner_names and (partner := self.lookups.partner(partner_names[0])):
                candidates = candidates.filter(parties__partner=partner)
            found = candidates.values_list("pk", flat=True).first()
            return self.existing(found) if found else None
        return None

    def existing(self, pk: int) -> Agreement | None:
        """A matched agreement with what comparing and updating it reads (its links and parties)."""
        return (
            Agreement.objects.select_related("lead_agency", "liaison_officer", "parent", "predecessor")
            .prefetch_related(Prefetch("parties", queryset=AgreementParty.objects.select_related("partner")))
            .filter(pk=pk)
            .first()
        )

    def base_fields(self, existing: Agreement | None) -> dict:
        if existing is None:
            return {"financing": Financing.NONE}
        return {name: getattr(existing, name) for name in agreement_services.EDITABLE_FIELDS}

    def parties(self, row: _Row, names: list[str], existing: Agreement | None):
        numbers = row.items("partner_number")
        types = row.items("partner_type")
        if numbers and len(numbers) != len(names):
            if len(names) == 1:
                numbers = [" / ".join(numbers)]
            else:
                row.problem(
                    "partner_number",
                    _("%(numbers)d partner numbers for %(partners)d partners; give one per partner, in the same order.")
                    % {"numbers": len(numbers), "partners": len(names)},
                )
                numbers = []
        current = {party.partner_id: party for party in existing.parties.all()} if existing else {}
        parties, partner_types, seen = [], [], set()
        for position, name in enumerate(names):
            typed = types[position] if position < len(types) else (types[0] if len(types) == 1 else "")
            partner = self.partner_for(row, name, typed)
            if partner is None:
                continue
            if partner.pk in seen:
                row.problem("partners", _("%(name)s is named twice.") % {"name": name})
                continue
            seen.add(partner.pk)
            partner_types.append(partner.partner_type)
            before = current.get(partner.pk)
            parties.append(
                agreement_services.PartyInput(
                    partner=partner,
                    party_number=numbers[position] if numbers else (before.party_number if before else ""),
                    signatory_name=before.signatory_name if before else "",
                    signatory_title=before.signatory_title if before else "",
                )
            )
        return parties, partner_types

    def partner_for(self, row: _Row, name: str, typed: str) -> Partner | None:
        if len(name) > 255:
            row.problem("partners", _("A partner name is longer than 255 characters."))
            return None
        partner = self.lookups.partner(name)
        if partner is not None:
            return partner
        key = normalise_name(name)
        if key in self.created_partners:
            return self.created_partners[key]
        partner_type = self.lookups.choice(typed, self.lookups.partner_types, _PARTNER_TYPE_WORDS) if typed else None
        if partner_type is None:
            partner_type = _from_words(name, _PARTNER_TYPE_WORDS) or PartnerType.PRIVATE
            row.warning(
                "partners",
                _("New partner %(name)s: type guessed as “%(type)s”; check it in the partner register.")
                % {"name": name, "type": PartnerType(partner_type).label},
            )
        fields = {"name": name, "partner_type": partner_type}
        if partner_type == PartnerType.GOVERNMENT:
            region = self.lookups.region(name)
            if region is None:
                row.problem(
                    "partners",
                    _(
                        "%(name)s looks like a regional government, but no region of that name is known. Register the partner first."
                    )
                    % {"name": name},
                )
                return None
            fields["region"] = region
        try:
            partner = partner_services.partner_create(actor=self.actor, fields=fields, allow_duplicate=True)
        except ValidationError as error:
            for message in error.messages:
                row.problem("partners", f"{name}: {message}")
            return None
        row.result.new_partners.append(name)
        self.created_partners[key] = partner
        self.lookups.partners[key] = partner
        return partner

    def kind_and_category(self, row: _Row, fields: dict, existing, partner_types: list[str]) -> None:
        kind_text = row.text("kind")
        if kind_text:
            kind = self.lookups.choice(kind_text, self.lookups.kinds, _KIND_WORDS)
            if kind is None:
                row.problem("kind", _("“%(value)s” is not a known document kind.") % {"value": kind_text})
            fields["kind"] = kind
        elif existing is None:
            guess = _from_words(fields.get("number", ""), _KIND_WORDS) or _from_words(
                fields.get("title", ""), _KIND_WORDS
            )
            if guess is None:
                guess = Kind.PKS
                row.warning("kind", _("No document kind given: recorded as a PKS."))
            fields["kind"] = guess
        category_text = row.text("category")
        if category_text:
            category = self.lookups.choice(category_text, self.lookups.categories, _CATEGORY_WORDS)
            if category is None:
                row.problem("category", _("“%(value)s” is not a known category.") % {"value": category_text})
            fields["category"] = category
        elif existing is None:
            fields["category"] = next(
                (_CATEGORY_FOR_PARTNER[t] for t in partner_types if t in _CATEGORY_FOR_PARTNER), Category.KSDPK
            )

    def write(self, row: _Row, result: RowResult, fields: dict, parties, existing) -> RowResult:
        try:
            if existing is None:
                agreement = agreement_services.agreement_create(actor=self.actor, fields=fields, parties=parties)
                result.action = Action.CREATE
            else:
                changes = self.changes(existing, fields, parties)
                if not changes:
                    result.action = Action.UNCHANGED
                    result.agreement_id = existing.pk
                    return result
                agreement = agreement_services.agreement_update(
                    actor=self.actor,
                    agreement=existing,
                    fields=fields,
                    parties=parties,
                    supporting_agencies=list(existing.supporting_agencies.all()),
                    affairs=list(existing.affairs.all()),
                )
                result.action = Action.UPDATE
                result.changes = changes
        except ValidationError as error:
            result.action = Action.ERROR
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    for message in messages:
                        row.problem(_field_column(name), message)
            else:
                for message in error.messages:
                    row.problem("", message)
            return result
        except PermissionDenied:
            result.action = Action.ERROR
            row.problem("", _("You may not change this agreement."))
            return result
        self.index.wrote(agreement, parties, existing)
        result.agreement_id = agreement.pk
        return result

    def changes(self, existing: Agreement, fields: dict, parties) -> list[str]:
        changed = []
        for name in agreement_services.EDITABLE_FIELDS:
            if name in fields and fields[name] != getattr(existing, name):
                changed.append(str(Agreement._meta.get_field(name).verbose_name))
        before = [(p.partner_id, p.party_number) for p in existing.parties.all()]  # in position order
        after = [(p.partner.pk, p.party_number.strip()) for p in parties]
        if before != after:
            changed.append(_("partners"))
        return changed


def run_import(*, actor: User, table: parsing.Table, mapping: dict[str, str], dry_run: bool) -> ImportResult:
    """Process every row in one transaction; roll back on a dry run or on any problem."""
    if not can_import(actor):
        raise PermissionDenied
    mapping = validate_mapping(mapping, table)
    with transaction.atomic():
        result = _Run(actor=actor, table=table, mapping=mapping, dry_run=dry_run).process()
        if dry_run or result.has_errors:
            transaction.set_rollback(True)
        else:
            result.committed = True
    return result


# Entry points: upload page and command --------------------------------------------------


def _digest(handle) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def read_upload(handle, name: str) -> parsing.Table:
    return parsing.read_table(handle, sanitise_name(name) or "register")


@transaction.atomic
def import_upload(*, actor: User, upload) -> RegisterImport:
    """Check an uploaded register and keep it, pending the column mapping and the preview."""
    if not can_import(actor):
        raise PermissionDenied
    name = sanitise_name(upload.name) or "register.xlsx"
    table = parsing.read_table(upload, name)
    with acting_as(actor):
        register_import = RegisterImport(
            government=actor.government,
            created_by=actor,
            original_name=name,
            size=upload.size,
            sha256=_digest(upload),
            mapping=table.guessed_mapping(),
        )
        register_import.file.save(name, File(upload), save=False)
        register_import.save()
    return register_import


def table_of(register_import: RegisterImport) -> parsing.Table:
    with register_import.file.open("rb") as handle:
        return parsing.read_table(handle, register_import.original_name)


@transaction.atomic
def import_set_mapping(*, actor: User, register_import: RegisterImport, mapping: dict) -> RegisterImport:
    if not can_import(actor) or register_import.government_id != actor.government_id:
        raise PermissionDenied
    if register_import.status != ImportStatus.PENDING:
        raise ValidationError(_("This import is already done."))
    clean = validate_mapping(mapping, table_of(register_import))
    with acting_as(actor):
        register_import.mapping = clean
        register_import.save(update_fields=["mapping"])
    return register_import


def import_preview(*, actor: User, register_import: RegisterImport) -> ImportResult:
    return run_import(actor=actor, table=table_of(register_import), mapping=register_import.mapping, dry_run=True)


def import_confirm(*, actor: User, register_import: RegisterImport) -> ImportResult:
    """The real run: all rows or none. Raises ImportFailed (nothing changed) on any problem."""
    if not can_import(actor) or register_import.government_id != actor.government_id:
        raise PermissionDenied
    table = table_of(register_import)
    cid = f"import-{uuid.uuid4().hex}"
    token = correlation_id.set(cid)
    try:
        with transaction.atomic():
            locked = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
            if locked.status != ImportStatus.PENDING:
                raise ValidationError(_("This import is already done."))
            result = run_import(actor=actor, table=table, mapping=locked.mapping, dry_run=False)
            if not result.committed:
                raise ImportFailed(result)
            _complete(actor, locked, result, cid)
    finally:
        correlation_id.reset(token)
    register_import.refresh_from_db()
    return result


def _complete(actor: User, register_import: RegisterImport, result: ImportResult, cid: str) -> None:
    with acting_as(actor):
        register_import.status = ImportStatus.DONE
        register_import.completed_at = timezone.now()
        register_import.created_count = result.count(Action.CREATE)
        register_import.updated_count = result.count(Action.UPDATE)
        register_import.unchanged_count = result.count(Action.UNCHANGED)
        register_import.skipped_count = result.count(Action.SKIP)
        register_import.correlation_id = cid
        register_import.save()


def import_file(*, actor: User, path, dry_run: bool) -> ImportResult:
    """The command's path: check, guess the mapping, run. A real run keeps the source file
    as a RegisterImport in the same transaction."""
    if not can_import(actor):
        raise PermissionDenied
    name = sanitise_name(str(path)) or "register"
    with open(path, "rb") as handle:
        table = parsing.read_table(handle, name)
        mapping = table.guessed_mapping()
        if dry_run:
            return run_import(actor=actor, table=table, mapping=mapping, dry_run=True)
        cid = f"import-{uuid.uuid4().hex}"
        token = correlation_id.set(cid)
        try:
            with transaction.atomic():
                result = run_import(actor=actor, table=table, mapping=mapping, dry_run=False)
                if not result.committed:
                    raise ImportFailed(result)
                handle.seek(0, 2)
                size = handle.tell()
                with acting_as(actor):
                    register_import = RegisterImport(
                        government=actor.government,
                        created_by=actor,
                        original_name=name,
                        size=size,
                        sha256=_digest(handle),
                        mapping=mapping,
                    )
                    register_import.file.save(name, File(handle), save=False)
                    register_import.save()
                _complete(actor, register_import, result, cid)
        finally:
            correlation_id.reset(token)
    return result

"""Importing an existing register: what every row means, and (on a real run) writing it.
Every agency, partner and agreement is written through jalin.governments.services,
jalin.partners.services and jalin.agreements.services, so every rule of the register
applies to imported rows exactly as to typed ones.

A *dry run* (the staging pass, the preview) decides every row without writing anything:
new partners and agencies are stand-ins, agreements are checked with the register's own
`validate_agreement`. A *real run* writes every row inside one transaction and commits only
when no row has a problem: all or nothing. The background pipeline (parse, stage, apply,
undo) is in `jalin/imports/pipeline.py`.
"""

import contextlib
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from jalin.accounts import access
from jalin.accounts.models import User
from jalin.agreements import services as agreement_services
from jalin.agreements.models import (
    IMPLEMENTING_KINDS,
    UMBRELLA_KINDS,
    Agreement,
    AgreementParty,
    Category,
    Financing,
    Kind,
)
from jalin.governments import services as agency_services
from jalin.governments.models import Agency, Government
from jalin.imports import matching, parsing
from jalin.lib.text import CONTROL_CHARACTERS, ControlCharacterValidator
from jalin.partners import services as partner_services
from jalin.partners.models import Partner, PartnerType, normalise_name

REQUIRED_FIELDS = ("title", "partners", "lead_agency")
ACCEPT_ALL = "all"


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


class ProposalKind:
    AGENCY_MATCH = "agency_match"  # the register's name for one of our agencies
    AGENCY_CREATE = "agency_create"  # an agency Jalin does not know: create it
    PARTNER_MATCH = "partner_match"  # a partner already registered under a similar name
    PARTNER_CREATE = "partner_create"  # a new partner, with its guessed type


@dataclass
class Proposal:
    """Something the admin confirms before the real run (once per file, whatever the rows)."""

    key: str
    kind: str
    text: str  # as the register writes it
    target: str  # the existing record proposed, or what will be created
    rows: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"key": self.key, "kind": self.kind, "text": self.text, "target": self.target, "rows": self.rows}


@dataclass
class RowResult:
    row: int
    action: str = Action.CREATE
    sheet: str = ""
    number: str = ""
    title: str = ""
    partners: list[str] = field(default_factory=list)
    new_partners: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    agreement_id: int | None = None
    before: dict | None = None  # an updated agreement as it was (for the undo)
    after_version: str = ""  # edit_version() right after the run wrote it

    @property
    def where(self) -> str:
        label = _("Row %(row)d") % {"row": self.row}
        return f"{self.sheet} · {label}" if self.sheet and self.sheet != "CSV" else label


@dataclass
class ImportResult:
    rows: list[RowResult]
    file_problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False
    proposals: dict[str, Proposal] = field(default_factory=dict)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    created_partner_ids: list[int] = field(default_factory=list)
    created_agency_ids: list[int] = field(default_factory=list)

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
                where = row.where
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


def validate_mapping(mapping: dict, register: parsing.Register) -> dict[str, str]:
    """Check a column mapping ("sheet:column" -> field); every register sheet needs its own
    title, partners and lead agency columns."""
    if isinstance(register, parsing.Table):
        register = parsing.Register(tables=[register], skipped=[])
    keys = register.column_keys()
    clean: dict[str, str] = {}
    used: dict[tuple[int, str], str] = {}
    errors = []
    for key, target in mapping.items():
        if not target:
            continue
        if str(key) not in keys or target not in parsing.FIELDS:
            errors.append(_("The column mapping refers to a column or field that does not exist."))
            continue
        table_index = parsing.split_key(key)[0]
        if (table_index, target) in used:
            errors.append(_("Two columns are mapped to “%(field)s”; choose one.") % {"field": parsing.FIELDS[target]})
            continue
        used[(table_index, target)] = key
        clean[str(key)] = target
    for table_index, table in enumerate(register.tables):
        for target in REQUIRED_FIELDS:
            if (table_index, target) not in used:
                message = _("Choose the column that holds “%(field)s”.") % {"field": parsing.FIELDS[target]}
                if len(register.tables) > 1:
                    message = f"{table.sheet}: {message}"
                errors.append(message)
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
_CATEGORY_FOR_PARTNER = {
    PartnerType.GOVERNMENT: Category.KSDD_VOLUNTARY,
    PartnerType.MINISTRY: Category.SYNERGY,
    PartnerType.FOREIGN_GOVERNMENT: Category.KSDPL,
    PartnerType.FOREIGN_INSTITUTION: Category.KSDLL,
}
_from_words = matching.from_words


class _Lookups:
    """Per-run caches: agencies, partners, regions and choice labels of one government."""

    def __init__(self, government: Government):
        self.government = government
        self.kinds = _choice_lookup(Kind.choices)
        self.categories = _choice_lookup(Category.choices)
        self.financing = _choice_lookup(Financing.choices)
        self.partner_types = _choice_lookup(PartnerType.choices)
        self.agencies = matching.AgencyMatcher(government)
        self.partners = matching.PartnerMatcher(government)
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
        return self.agencies.match(text).agency

    def partner(self, name: str) -> Partner | None:
        return self.partners.exact(name)

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
    def __init__(self, row: parsing.Row, mapping: dict[str, str], table, result: RowResult, table_index: int = 0):
        self.row = row
        self.result = result
        if isinstance(table, parsing.Register):
            table = table.tables[table_index]
        self.columns = {column.index: column for column in table.columns}
        self.where = {}
        self.raw = {}
        for key, target in mapping.items():
            sheet, index = parsing.split_key(key)
            if sheet != table_index:
                continue
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


def snapshot(agreement: Agreement) -> dict:
    """An agreement's editable fields and parties as JSON (what an undo restores)."""
    fields = {}
    for name in agreement_services.EDITABLE_FIELDS:
        model_field = Agreement._meta.get_field(name)
        if model_field.is_relation:
            fields[name] = getattr(agreement, model_field.attname)
        else:
            value = getattr(agreement, name)
            fields[name] = None if value is None else model_field.value_to_string(agreement)
    parties = [
        [party.partner_id, party.party_number, party.signatory_name, party.signatory_title]
        for party in agreement.parties.all()
    ]
    return {"fields": fields, "parties": parties}


class _Run:
    """One pass over every row of a register. `accepted` is the set of proposal keys the
    admin confirmed, or ACCEPT_ALL. A dry run assumes every proposal accepted (the preview
    shows what the import does once they are) and writes nothing."""

    def __init__(self, *, actor: User, table, mapping: dict[str, str], dry_run: bool, accepted=ACCEPT_ALL):
        self.actor = actor
        self.register = table if isinstance(table, parsing.Register) else parsing.Register([table], [])
        self.table = self.register
        self.mapping = mapping
        self.dry_run = dry_run
        self.accepted = accepted
        self.government = actor.government
        self.lookups = _Lookups(self.government)
        self.targets: dict[int, dict[str, int]] = {}  # table -> field -> column
        for key, target in mapping.items():
            sheet, column = parsing.split_key(key)
            self.targets.setdefault(sheet, {})[target] = column
        self.index = _Index(self.government, self.parent_numbers())
        self.seen_numbers: dict[str, tuple[str, int]] = {}
        self.created_partners: dict[str, Partner] = {}
        self.created_agencies: dict[str, Agency] = {}
        self.result = ImportResult(rows=[], dry_run=dry_run, skipped_sheets=list(self.register.skipped))
        self.stand_in_ids = itertools.count(-1, -1)
        self.on_row = None  # called after each row (progress)

    def process(self) -> ImportResult:
        for table_index, row in self.in_lineage_order():
            self.result.rows.append(self.process_row(row, table_index))
            if self.on_row:
                self.on_row(len(self.result.rows))
        sheet_order = {table.sheet: index for index, table in enumerate(self.register.tables)}
        self.result.rows.sort(key=lambda item: (sheet_order.get(item.sheet, 0), item.row))
        return self.result

    def cell(self, table_index: int, row: parsing.Row, target: str):
        column = self.targets.get(table_index, {}).get(target)
        return row.cells[column] if column is not None and column < len(row.cells) else None

    def parent_numbers(self) -> set[str]:
        """The numbers the file names as parent documents."""
        numbers = set()
        for table_index, table in enumerate(self.register.tables):
            for row in table.rows:
                with contextlib.suppress(parsing.CellProblem):  # reported on its row
                    numbers.add(parsing.text_value(self.cell(table_index, row, "parent_number")))
        return numbers - {""}

    def in_lineage_order(self) -> list[tuple[int, parsing.Row]]:
        """A PKS may come above its KSB in the file, or on another sheet: rows are written
        parents first, so that a parent named in the same file is found."""
        rows = [(t, row) for t, table in enumerate(self.register.tables) for row in table.rows]

        def text(table_index, row, target) -> str:
            return parsing._text(self.cell(table_index, row, target)).lower()

        parent_of = {text(t, r, "number"): text(t, r, "parent_number") for t, r in rows if text(t, r, "number")}
        if not any(parent_of.values()):
            return rows

        def depth(item) -> int:
            """How many ancestors the row names (up to 5), from its own parent cell: rows
            without a number of their own are placed by their parent too."""
            parent, steps = text(*item, "parent_number"), 0
            while parent and steps < 5:
                parent, steps = parent_of.get(parent, ""), steps + 1
            return steps

        return sorted(rows, key=lambda item: (depth(item), item[0], item[1].number))

    # The row, step by step ------------------------------------------------------------

    def process_row(self, source: parsing.Row, table_index: int = 0) -> RowResult:
        result = RowResult(row=source.number, sheet=source.sheet)
        row = _Row(source, self.mapping, self.register, result, table_index)
        if self.skipped(row, source) or self.cell_problems(row, source):
            return result
        title, number, partner_names = self.identity(row)
        if result.action == Action.SKIP or (result.action == Action.ERROR and not title):
            return result
        existing = self.find_existing(row, number, title, partner_names)
        fields = self.base_fields(existing)
        fields["title"] = title or fields.get("title", "")
        if number:
            fields["number"] = number
        self.lead_agency(row, fields, existing)
        self.plain_fields(row, fields, existing)
        parties, partner_types = self.parties(row, partner_names, existing)
        self.kind_and_category(row, fields, existing, partner_types)
        self.parent(row, fields)
        if result.problems:
            result.action = Action.ERROR
            return result
        return self.write(row, result, fields, parties, existing)

    def skipped(self, row: _Row, source: parsing.Row) -> bool:
        if parsing.is_subtotal_row([parsing._text(cell) for cell in source.cells]):
            row.result.action = Action.SKIP
            row.result.changes.append(_("Subtotal row, skipped."))
            return True
        return False

    def cell_problems(self, row: _Row, source: parsing.Row) -> bool:
        formulas = [(index, cell) for index, cell in enumerate(source.cells) if isinstance(cell, parsing.Formula)]
        for index, formula in formulas:
            column = row.columns.get(index)
            row.result.problems.append(
                Problem(
                    f"{column.letter} ({column.label})" if column else parsing.column_letter(index),
                    _(
                        "The cell holds a formula (%(formula)s). Jalin imports values only: copy the sheet and "
                        "paste it as values."
                    )
                    % {"formula": formula[:80]},
                )
            )
        control = False
        for index, cell in enumerate(source.cells):  # the same refusal as every form and the API
            if not isinstance(cell, parsing.Formula) and CONTROL_CHARACTERS.search(parsing._text(cell) or ""):
                column = row.columns.get(index)
                where = f"{column.letter} ({column.label})" if column else parsing.column_letter(index)
                row.result.problems.append(Problem(where, str(ControlCharacterValidator.message)))
                control = True
        if formulas or control:
            row.result.action = Action.ERROR
        return bool(formulas) or control

    def identity(self, row: _Row) -> tuple[str, str, list[str]]:
        """Title, number and partners; a row with none of them is no agreement (skipped)."""
        result = row.result
        title, number, partner_names = row.text("title"), row.text("number"), row.items("partners")
        result.number, result.title, result.partners = number, title, partner_names
        if not (title or number or partner_names):
            result.action = Action.SKIP
            result.changes.append(_("No title, number or partner: not an agreement, skipped."))
            return title, number, partner_names
        if not title:
            row.problem("title", _("The title is empty."))
        if not partner_names:
            row.problem("partners", _("No partner is named."))
        if number:
            key = number.lower()
            if key in self.seen_numbers:
                sheet, first = self.seen_numbers[key]
                where = _("row %(row)d") % {"row": first}
                if sheet != result.sheet:
                    where = _("sheet %(sheet)s, row %(row)d") % {"sheet": sheet, "row": first}
                row.problem(
                    "number", _("The number %(number)s already appears in %(row)s.") % {"number": number, "row": where}
                )
                result.action = Action.ERROR
            else:
                self.seen_numbers[key] = (result.sheet, result.row)
        return title, number, partner_names

    def propose(self, row: _Row, kind: str, key: str, text: str, target: str) -> bool:
        """Record a proposal on the row; whether the run may act on it."""
        proposal = self.result.proposals.setdefault(key, Proposal(key=key, kind=kind, text=text, target=target))
        proposal.rows.append(row.result.where)
        row.result.proposals.append(key)
        return self.dry_run or self.accepted == ACCEPT_ALL or key in self.accepted

    def lead_agency(self, row: _Row, fields: dict, existing) -> None:
        text = row.text("lead_agency")
        if not text:
            if existing is None:
                row.problem("lead_agency", _("The lead agency is empty."))
            return
        match = self.lookups.agencies.match(text)
        agency = match.agency
        key = "agency:" + normalise_name(text)
        if agency is not None:
            if normalise_name(text) not in (normalise_name(agency.name), normalise_name(agency.short_name)):
                row.warning("lead_agency", _("“%(text)s” read as %(agency)s.") % {"text": text, "agency": agency.name})
        elif match.proposal is not None:
            target = match.proposal.name
            if match.others:
                target += " " + _("(or: %(others)s)") % {"others": ", ".join(a.name for a in match.others)}
            if self.propose(row, ProposalKind.AGENCY_MATCH, key, text, target):
                agency = match.proposal
        else:
            new = matching.new_agency_fields(text)
            if self.propose(row, ProposalKind.AGENCY_CREATE, key, text, new["name"]):
                agency = self.new_agency(row, key, new)
        if agency is None and not row.result.problems:
            row.problem(
                "lead_agency",
                _("No agency named “%(name)s” is in the register, and the proposal was not confirmed.")
                % {"name": text},
            )
        fields["lead_agency"] = agency

    def new_agency(self, row: _Row, key: str, new: dict) -> Agency | None:
        if key in self.created_agencies:
            return self.created_agencies[key]
        if self.dry_run:
            agency = Agency(pk=next(self.stand_in_ids), government=self.government, **new)
        else:
            try:
                agency = agency_services.agency_create(actor=self.actor, fields=new)
            except ValidationError as error:
                for message in error.messages:
                    row.problem("lead_agency", f"{new['name']}: {message}")
                return None
            self.result.created_agency_ids.append(agency.pk)
        self.created_agencies[key] = agency
        return agency

    def plain_fields(self, row: _Row, fields: dict, existing) -> None:
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

    def parent(self, row: _Row, fields: dict) -> None:
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

    def find_existing(self, row: _Row, number: str, title: str, partner_names: list[str]) -> Agreement | None:
        if number and (pk := self.index.live_by_number(number)):
            return self.existing(pk)
        partner_numbers = row.items("partner_number")
        if len(partner_numbers) == 1 and len(partner_names) > 1:
            partner_numbers = partner_numbers * len(partner_names)
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

    def party_numbers(self, row: _Row, names: list[str]) -> list[str]:
        """One number per partner; one number for several partners (a tripartite agreement
        under one number) is carried by each of them."""
        numbers = row.items("partner_number")
        if not numbers or len(numbers) == len(names):
            return numbers
        if len(names) == 1:
            return [" / ".join(numbers)]
        if len(numbers) == 1:
            row.warning(
                "partner_number",
                _("One partner number for %(partners)d partners: each of them carries %(number)s.")
                % {"partners": len(names), "number": numbers[0]},
            )
            return numbers * len(names)
        row.problem(
            "partner_number",
            _("%(numbers)d partner numbers for %(partners)d partners; give one per partner, in the same order.")
            % {"numbers": len(numbers), "partners": len(names)},
        )
        return []

    def parties(self, row: _Row, names: list[str], existing: Agreement | None):
        numbers = self.party_numbers(row, names)
        types = row.items("partner_type")
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
        key = normalise_name(name)
        if key in self.created_partners:
            return self.created_partners[key]
        kind = matching.classify_partner(name)
        region = self.lookups.region(name) if kind and kind.partner_type == "government" else None
        partner = self.lookups.partners.exact(name, region)
        if partner is not None:
            if matching.partner_key(partner.name) != matching.partner_key(name) and key != partner.normalised_name:
                row.warning("partners", _("%(name)s matched to %(partner)s.") % {"name": name, "partner": partner.name})
            return partner
        similar = self.lookups.partners.similar(name)
        if similar is not None:
            proposal = _("%(partner)s (already registered)") % {"partner": similar.name}
            if self.propose(row, ProposalKind.PARTNER_MATCH, "partner:" + key, name, proposal):
                return similar
            # the match refused: a different partner, created without a second question
            return self.new_partner(row, name, typed, kind, region, confirmed=True)
        return self.new_partner(row, name, typed, kind, region)

    def new_partner(self, row: _Row, name: str, typed: str, kind, region, confirmed=False) -> Partner | None:
        partner_type = (
            self.lookups.choice(typed, self.lookups.partner_types, matching.PARTNER_TYPE_WORDS) if typed else None
        )
        guessed = partner_type is None
        if guessed:
            partner_type = kind.partner_type if kind else PartnerType.PRIVATE
        fields = {"name": name, "partner_type": partner_type}
        if partner_type == PartnerType.GOVERNMENT:
            region = region or self.lookups.region(name)
            if region is None:
                row.problem(
                    "partners",
                    _(
                        "%(name)s looks like a regional government, but no region of that name is known. Write the "
                        "region's name as Kemendagri does (Kabupaten …, Kota …, Provinsi …)."
                    )
                    % {"name": name},
                )
                return None
            fields["region"] = region
        label = PartnerType(partner_type).label
        if kind and kind.vertical:
            label = (
                _("central-government agency (K/L) under %(parent)s") % {"parent": kind.parent}
                if kind.parent
                else _("central-government agency (K/L)")
            )
        key = normalise_name(name)
        if not confirmed and not self.propose(
            row, ProposalKind.PARTNER_CREATE, "new-partner:" + key, name, f"{name} · {label}"
        ):
            row.problem(
                "partners",
                _("%(name)s is not in the partner register, and creating it was not confirmed.") % {"name": name},
            )
            return None
        if guessed:
            row.warning(
                "partners",
                _("New partner %(name)s: %(type)s; check it in the partner register.") % {"name": name, "type": label},
            )
        if self.dry_run:
            partner = Partner(pk=next(self.stand_in_ids), government=self.government, **fields)
            partner.normalised_name = key
        else:
            try:
                partner = partner_services.partner_create(actor=self.actor, fields=fields, allow_duplicate=True)
            except ValidationError as error:
                for message in error.messages:
                    row.problem("partners", f"{name}: {message}")
                return None
            self.result.created_partner_ids.append(partner.pk)
        row.result.new_partners.append(name)
        self.created_partners[key] = partner
        self.lookups.partners.remember(name, partner)
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
        changes = self.changes(existing, fields, parties) if existing is not None else []
        if existing is not None and not changes:
            result.action = Action.UNCHANGED
            result.agreement_id = existing.pk
            return result
        try:
            if self.dry_run:
                agreement = self.check(fields, parties, existing)
            elif existing is None:
                agreement = agreement_services.agreement_create(actor=self.actor, fields=fields, parties=parties)
            else:
                result.before = snapshot(existing)
                agreement = agreement_services.agreement_update(
                    actor=self.actor,
                    agreement=existing,
                    fields=fields,
                    parties=parties,
                    supporting_agencies=list(existing.supporting_agencies.all()),
                    affairs=list(existing.affairs.all()),
                )
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
        result.action = Action.CREATE if existing is None else Action.UPDATE
        result.changes = changes
        self.index.wrote(agreement, parties, existing)
        if agreement.pk > 0:
            result.agreement_id = agreement.pk
            if not self.dry_run:
                result.after_version = agreement_services.edit_version(agreement)
        return result

    def check(self, fields: dict, parties, existing) -> Agreement:
        """The dry run's write: every rule of the register, nothing saved. A parent created
        earlier in the file is a stand-in, so its lineage is checked here."""
        if existing is None and not access.can_create_agreement(self.actor):
            raise PermissionDenied
        if existing is not None and not access.can_change_agreement(self.actor, existing):
            raise PermissionDenied
        checked = dict(fields)
        parent = checked.get("parent")
        if parent is not None and parent.pk < 0:
            checked.pop("parent")
            if checked.get("kind") in IMPLEMENTING_KINDS and parent.kind not in UMBRELLA_KINDS:
                raise ValidationError({"parent": _("A PKS or RK must be placed under a KSB, NK or MoU.")})
            if (
                checked.get("kind") in IMPLEMENTING_KINDS
                and not {p.partner.pk for p in parties} <= parent.stand_in_partners
            ):
                raise ValidationError({"parent": _("A PKS or RK must have the same partners as its KSB, NK or MoU.")})
        agreement_services.validate_agreement(
            government=self.government,
            fields=checked,
            parties=parties,
            supporting_agencies=list(existing.supporting_agencies.all()) if existing else [],
            instance=existing,
        )
        if existing is not None:
            return existing
        agreement = Agreement(pk=next(self.stand_in_ids), government=self.government, number=fields.get("number", ""))
        agreement.kind = fields.get("kind")
        agreement.stand_in_partners = {p.partner.pk for p in parties}
        return agreement

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


def run_import(
    *, actor: User, table, mapping: dict[str, str], dry_run: bool, accepted=ACCEPT_ALL, on_row=None
) -> ImportResult:
    """A dry run decides every row and writes nothing (no transaction is held). A real run
    writes every row in one transaction, rolled back on any problem."""
    if not can_import(actor):
        raise PermissionDenied
    mapping = validate_mapping(mapping, table)
    run = _Run(actor=actor, table=table, mapping=mapping, dry_run=dry_run, accepted=accepted)
    run.on_row = on_row
    if dry_run:
        return run.process()
    with transaction.atomic():
        result = run.process()
        if result.has_errors:
            transaction.set_rollback(True)
        else:
            result.committed = True
    return result

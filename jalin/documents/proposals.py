"""Proposals from a scan: the number, dates, parties and title that an agreement's first
pages state, read from their text, for the officer to accept or correct field by field.

Nothing here writes: the accepted values only prefill the registration form
(`initial_from_query`), and the agreement is saved by the agreement service when the
officer submits that form.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict

from jalin.partners.models import Partner, normalise_name

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "pebruari", "feb", "peb"),
            ("maret", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("agustus", "agu", "agt", "ags"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nopember", "nov", "nop"),
            ("desember", "des"),
        ],
        start=1,
    )
    for name in names
}
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})\b", re.I)
_NUMBER = re.compile(r"\bNOMOR\s*[:.]?\s*([0-9A-Z][0-9A-Z./\-]*/[0-9A-Z./\-]*[0-9A-Z])", re.I)
_HEADING_END = r"(?=\n\s*(?:TENTANG|NOMOR|PADA\s+HARI)\b|\n\s*\n|$)"
_TITLE = re.compile(r"\bTENTANG\s*\n?(.+?)(?=\n\s*(?:NOMOR|PADA\s+HARI|ANTARA)\b|\n\s*\n|$)", re.I | re.S)
_PARTIES = re.compile(r"\bANTARA\s*\n\s*(.+?)\s*\n\s*(?:DENGAN|DAN)\s*\n\s*(.+?)" + _HEADING_END, re.I | re.S)
_DURATION = re.compile(r"jangka\s+waktu\s+(\d{1,2})\s*(?:\([a-z\s]+\)\s*)?tahun", re.I)
_ENDS = re.compile(r"(?:berakhir|sampai\s+dengan|s\.?d\.?)\s+(?:pada\s+)?(?:tanggal\s+)?", re.I)
_LOWER_WORDS = {"di", "dan", "ke", "dari", "untuk", "dengan", "yang", "pada", "tentang", "dalam", "atas", "antara"}
FIELDS = ("number", "title", "signed_on", "effective_on", "ends_on", "partner", "party_number")


@dataclass
class Proposals:
    number: str = ""
    title: str = ""
    signed_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    party_names: list[str] = field(default_factory=list)
    party_numbers: list[str] = field(default_factory=list)
    partner: Partner | None = None
    party_number: str = ""


def _date(match: re.Match) -> datetime.date | None:
    try:
        return datetime.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    except ValueError:
        return None


def _clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" :,.;")


def _heading_case(text: str) -> str:
    """A heading in capitals as a title: 'PENYEDIAAN AIR BERSIH DI DESA HANURA' ->
    'Penyediaan Air Bersih di Desa Hanura'. Mixed case is kept as written."""
    if not text.isupper():
        return text
    words = text.lower().split()
    return " ".join(
        word if index and word in _LOWER_WORDS else word[:1].upper() + word[1:] for index, word in enumerate(words)
    )


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def read_proposals(text: str, partners: QuerySet) -> Proposals:
    """What the text states. `partners`: the register the partner is looked up in."""
    text = (text or "").replace("\r", "")
    found = Proposals()
    numbers = [_clean_line(match.group(1)) for match in _NUMBER.finditer(text[:4000])]
    if numbers:
        found.number, found.party_numbers = numbers[0], numbers[1:]
        found.party_number = numbers[1] if len(numbers) > 1 else ""
    title = _TITLE.search(text[:4000])
    if title:
        found.title = _heading_case(_clean_line(title.group(1)))[:300]
    parties = _PARTIES.search(text[:4000])
    if parties:
        found.party_names = [_clean_line(parties.group(1)), _clean_line(parties.group(2))]
    dates = [(match.start(), _date(match)) for match in _DATE.finditer(text)]
    dates = [(position, day) for position, day in dates if day]
    if dates:
        found.signed_on = found.effective_on = dates[0][1]
    for ends in _ENDS.finditer(text):
        later = [day for position, day in dates if ends.end() <= position <= ends.end() + 40]
        if later:
            found.ends_on = later[0]
            break
    duration = _DURATION.search(text)
    if found.ends_on is None and duration and found.effective_on:
        found.ends_on = _add_years(found.effective_on, int(duration.group(1))) - datetime.timedelta(days=1)
    found.partner = _partner(found.party_names, partners)
    return found


def _partner(names: list[str], partners: QuerySet) -> Partner | None:
    """The registered partner named as a party (the other party is the government itself)."""
    keys = {normalise_name(name) for name in names if name}
    keys.discard("")
    if not keys:
        return None
    return partners.filter(normalised_name__in=keys).order_by("pk").first()


def initial_from_query(query: QueryDict) -> tuple[dict, list[dict]]:
    """The registration form's initial values from the proposals the officer accepted
    (passed in the query string): agreement fields, and the first party."""
    initial = {
        name: query[name][:300]
        for name in ("number", "title", "signed_on", "effective_on", "ends_on")
        if query.get(name)
    }
    parties = []
    if query.get("partner", "").isdigit():
        parties.append({"partner": int(query["partner"]), "party_number": query.get("party_number", "")[:120]})
    return initial, parties

"""Recognising what a register names: partner types (vertical agencies of the central
government included), the government's own agencies written another way, and partners
already in the register under a slightly different name.

Nothing here writes. A name is matched when a person would match it without asking;
anything less certain is returned as a *proposal* for the admin to confirm in the preview.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from jalin.governments.models import Agency, Government
from jalin.partners import services as partner_services
from jalin.partners.models import Partner, PartnerType, normalise_name

# Partner types -------------------------------------------------------------------------

# Regional offices of the central government ("instansi vertikal"): their names end with
# "Kabupaten/Kota …", but they are K/L partners (the category follows: Sinergi). Each with
# the parent ministry or body, recorded on the row.
VERTICAL_AGENCIES = [
    (r"\b(kantor pertanahan|kantah|badan pertanahan|bpn|atr)\b", "Kementerian ATR/BPN"),
    (r"\b(kejaksaan( negeri| tinggi)?|kejari|kejati)\b", "Kejaksaan Republik Indonesia"),
    (r"\b(polres|polresta|polrestabes|polda|polsek|kepolisian)\b", "Kepolisian Negara Republik Indonesia"),
    (r"\b(kodim|korem|kodam|koramil|lanud|lanal|lantamal|komando distrik militer|tni)\b", "Tentara Nasional Indonesia"),
    (r"\b(kpp( pratama| madya)?|kantor pelayanan pajak|kanwil djp|djp)\b", "Kementerian Keuangan (DJP)"),
    (r"\b(kppn|kpknl|bea (dan )?cukai|djbc)\b", "Kementerian Keuangan"),
    (r"\b(bps|badan pusat statistik)\b", "Badan Pusat Statistik"),
    (r"\b(kantor kementerian agama|kankemenag|kemenag)\b", "Kementerian Agama"),
    (r"\b(pengadilan( negeri| agama| tinggi| tata usaha negara)?|mahkamah)\b", "Mahkamah Agung"),
    (r"\bbpjs( kesehatan)?\b(?! ketenagakerjaan)", "BPJS Kesehatan"),
    (r"\bbpjs ketenagakerjaan\b", "BPJS Ketenagakerjaan"),
    (r"\b(kantor imigrasi|imigrasi|lapas|rutan|lembaga pemasyarakatan)\b", "Kementerian Hukum"),
    (r"\b(balai besar wilayah sungai|bbws|bpjn|balai pelaksanaan jalan)\b", "Kementerian Pekerjaan Umum"),
    (r"\b(bmkg|basarnas|kantor sar|bnnk|bnnp|bnn|bpom|balai pom|bkkbn|bnpb)\b", None),
    (r"\b(kpu|bawaslu)\b", None),
]
_VERTICAL = [(re.compile(pattern), parent) for pattern, parent in VERTICAL_AGENCIES]

PARTNER_TYPE_WORDS = [
    (r"\b(pemerintah (kabupaten|kota|provinsi)|pemkab|pemkot|pemprov|kabupaten|kota|provinsi)\b", "government"),
    (r"\b(universitas|institut|politeknik|sekolah tinggi|university|universitas)\b", PartnerType.UNIVERSITY),
    (r"\bbank\b", PartnerType.BANK),
    (r"\b(kementerian|kemenkes|kemendagri|badan nasional|lembaga negara|ministry)\b", PartnerType.MINISTRY),
    (r"\b(persero|bumn)\b", PartnerType.BUMN),
    (r"\b(perseroda|perumda|pdam|bumd)\b", PartnerType.BUMD),
    (r"\b(yayasan|lembaga swadaya|perkumpulan|ormas|lsm|ngo)\b", PartnerType.NGO),
    (r"\b(pt|cv|tbk)\b", PartnerType.PRIVATE),
]


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", text).split())


def from_words(text: str, rules) -> str | None:
    lowered = text.lower()
    for pattern, value in rules:
        if re.search(pattern, lowered):
            return value
    return None


@dataclass
class PartnerKind:
    partner_type: str
    parent: str | None = None  # the parent ministry of a vertical agency, when known
    vertical: bool = False


def classify_partner(name: str) -> PartnerKind | None:
    """The type a name shows, vertical agencies first ("Kejaksaan Negeri Pesawaran" is a K/L
    partner, not the Kabupaten nor a private firm); None when the name says nothing."""
    plain = _plain(name)
    if not re.search(r"\b(pt|cv|persero)\b", plain):
        for pattern, parent in _VERTICAL:
            if pattern.search(plain):
                return PartnerKind(PartnerType.MINISTRY, parent, vertical=True)
    found = from_words(name, PARTNER_TYPE_WORDS)
    return PartnerKind(found) if found else None


# Agencies ------------------------------------------------------------------------------

_AGENCY_ABBREVIATIONS = {
    "dis": "dinas",
    "din": "dinas",
    "bag": "bagian",
    "bg": "bagian",
    "set": "sekretariat",
    "sekr": "sekretariat",
    "setda": "sekretariat daerah",
    "sekda": "sekretariat daerah",
    "bdn": "badan",
    "kan": "kantor",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "upt": "unit pelaksana teknis",
    "ks": "kerja sama",
    "kerjasama": "kerja sama",
}
_KNOWN_WORDS = {"dinas", "badan", "bagian", "kantor", "sekretariat", "daerah", "dan", "serta", "rumah", "sakit", "umum"}
_STOP_WORDS = {"dan", "serta", "&"}
_REGION_TAIL = re.compile(r"\s+(pemerintah\s+)?(kabupaten|kab|kota|provinsi|prov|pemkab|pemkot|pemprov)\b.*$")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(word, written as an abbreviation) for each word of a name."""
    raw = re.sub(r"[^0-9A-Za-z]+", " ", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())
    words = raw.split()
    shouting = raw.upper() == raw
    out = []
    for word in words:
        lowered = word.lower()
        if shouting:
            abbreviation = len(word) <= 5 and lowered not in _KNOWN_WORDS and lowered not in _AGENCY_ABBREVIATIONS
        else:
            abbreviation = len(word) >= 2 and word.isupper()
        out.append((lowered, abbreviation))
    return out


def _expanded(text: str) -> tuple[str, str, bool]:
    """(expanded name key, acronym key, whether the text abbreviates) for an agency name:
    'Bag. KS Kab. Pesawaran' -> ('bagian kerja sama', 'bks', True)."""
    tokens = _tokens(text)
    plain = " ".join(word for word, _abbr in tokens)
    stripped = _REGION_TAIL.sub("", plain) or plain  # "Dinas Kesehatan Kab. Pesawaran"
    keep = len(stripped.split())
    words, acronym, abbreviates = [], "", False
    for word, abbreviation in tokens[:keep]:
        expansion = _AGENCY_ABBREVIATIONS.get(word)
        if abbreviation and expansion is None:
            abbreviates = True
            words.append(word)
            acronym += word
            continue
        if expansion:
            abbreviates = abbreviates or expansion != word
            words.extend(expansion.split())
            acronym += "".join(part[0] for part in expansion.split())
            continue
        words.append(word)
        if word not in _STOP_WORDS:
            acronym += word[0]
    return " ".join(words), acronym, abbreviates


@dataclass
class AgencyMatch:
    agency: Agency | None = None  # matched without asking
    proposal: Agency | None = None  # an existing agency to confirm
    others: list[Agency] = field(default_factory=list)  # when several could be meant
    note: str = ""


class AgencyMatcher:
    def __init__(self, government: Government):
        self.exact: dict[str, Agency] = {}
        self.expanded: dict[str, set[int]] = {}
        self.acronyms: dict[str, set[int]] = {}
        self.by_pk: dict[int, Agency] = {}
        for agency in Agency.objects.filter(government=government, archived_at__isnull=True):
            self.add(agency)

    def add(self, agency: Agency) -> None:
        self.by_pk[agency.pk] = agency
        for name in (agency.name, agency.short_name):
            if not name:
                continue
            self.exact.setdefault(normalise_name(name), agency)
            words, acronym, _abbr = _expanded(name)
            self.expanded.setdefault(words, set()).add(agency.pk)
            self.acronyms.setdefault(acronym, set()).add(agency.pk)
            self.acronyms.setdefault(words.replace(" ", ""), set()).add(agency.pk)

    def match(self, text: str) -> AgencyMatch:
        key = normalise_name(text)
        if key in self.exact:
            return AgencyMatch(agency=self.exact[key])
        # "Dinas Kesehatan Kabupaten Pesawaran" -> the longest agency name it starts with
        starts = [name for name in self.exact if key.startswith(name + " ")]
        if starts:
            return AgencyMatch(agency=self.exact[max(starts, key=len)])
        words, acronym, abbreviates = _expanded(text)
        found = self.expanded.get(words, set())
        if not found and abbreviates:
            found = self.acronyms.get(acronym, set()) | self.acronyms.get(words.replace(" ", ""), set())
        if len(found) == 1:
            return AgencyMatch(agency=self.by_pk[next(iter(found))])
        if len(found) > 1:
            candidates = sorted((self.by_pk[pk] for pk in found), key=lambda a: a.name)
            return AgencyMatch(proposal=candidates[0], others=candidates[1:])
        return self.similar(words)

    def similar(self, words: str) -> AgencyMatch:
        """A similar name ("Dinas Koperasi, UKM, Perindustrian dan Perdagangan" for "Dinas
        Koperasi, Perindustrian dan Perdagangan"), or a one-word short form whose letters run
        through an agency's name ("Diskoperindag"): a proposal, never a match."""
        best, best_score = None, 0.0
        compact = words.replace(" ", "")
        for agency in self.by_pk.values():
            name_words, _acronym, _abbr = _expanded(agency.name)
            score = difflib.SequenceMatcher(None, words, name_words).ratio()
            if " " not in words and len(compact) >= 6 and _runs_through(compact, name_words):
                score = max(score, 0.8)
            if score > best_score:
                best, best_score = agency, score
        if best is not None and best_score >= 0.75:
            return AgencyMatch(proposal=best)
        return AgencyMatch()


def _runs_through(short: str, name_words: str) -> bool:
    """Whether a short form's letters appear in order through a name, starting with its first
    word's first letter: 'diskoperindag' through 'dinas koperasi perindustrian dan perdagangan'."""
    name = name_words.replace(" ", "")
    if not name or short[0] != name[0]:
        return False
    position = 0
    for letter in short:
        position = name.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def new_agency_fields(text: str) -> dict:
    """What an agency the register names but Jalin lacks is created with: its name without the
    region ("Dinas Perikanan Kabupaten Pesawaran" -> "Dinas Perikanan"); a short form is kept
    as the short name too."""
    name = re.sub(r"(?i)\s+(pemerintah\s+)?(kabupaten|kab\.?|kota|provinsi|prov\.?)\s+.*$", "", text.strip())
    name = name.strip(" ,.-") or text.strip()
    short = name if len(name) <= 40 and " " not in name else ""
    return {"name": name[:200], "short_name": short}


# Partners ------------------------------------------------------------------------------

_GOVERNMENT_PREFIX = re.compile(r"^(pemerintah|pemkab|pemkot|pemprov|pemda)\s+")


def partner_key(name: str) -> str:
    """The name with what registers add or drop around a partner's name: 'Pemerintah Kota
    Bandar Lampung' and 'Kota Bandar Lampung' share 'kota bandar lampung'."""
    return _GOVERNMENT_PREFIX.sub("", normalise_name(name))


class PartnerMatcher:
    """The government's partners, read once: by name (find_duplicates' rule), by the key
    above, and by a similar name (a proposal)."""

    def __init__(self, government: Government):
        self.government = government
        self.found: dict[str, Partner | None] = {}
        self.keys: dict[str, list[int]] = {}
        self.names: dict[int, str] = {}
        partners = Partner.objects.active().filter(government=government).values_list("pk", "name")
        for pk, name in partners:
            self.names[pk] = name
            self.keys.setdefault(partner_key(name), []).append(pk)
        self.unique = {key: pks[0] for key, pks in self.keys.items() if len(pks) == 1}
        self.unique_keys = list(self.unique)
        self.loaded: dict[int, Partner] = {}

    def get(self, pk: int) -> Partner:
        if pk not in self.loaded:
            self.loaded[pk] = Partner.objects.get(pk=pk)
        return self.loaded[pk]

    def exact(self, name: str, region: Government | None = None) -> Partner | None:
        key = normalise_name(name)
        if key not in self.found:
            fields = {"name": name, "region": region} if region else {"name": name}
            found = list(partner_services.find_duplicates(government_id=self.government.pk, fields=fields)[:1])
            if not found:
                pks = self.keys.get(partner_key(name), [])
                found = [self.get(pks[0])] if len(pks) == 1 else []
            self.found[key] = found[0] if found else None
        return self.found[key]

    def remember(self, name: str, partner: Partner) -> None:
        self.found[normalise_name(name)] = partner

    def similar(self, name: str) -> Partner | None:
        close = difflib.get_close_matches(partner_key(name), self.unique_keys, n=1, cutoff=0.88)
        return self.get(self.unique[close[0]]) if close else None

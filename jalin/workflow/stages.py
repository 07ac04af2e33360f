"""The rules of the lifecycle: which stages a proposal passes through, who acts at each,
what each stage requires, and which transitions exist. Pure data and small functions; the
one service that applies a transition is `jalin.workflow.services.transition_apply`.

Tracks (PP 28/2018, Permendagri 22/2020 for KSDD/KSDPK, Permendagri 25/2020 for foreign):

- KSDD / KSDPK: initiation → TKKSD assessment → offer → KSB drafting → KSB signed →
  DPRD approval (when required) → PKS drafting → PKS signed (implementation).
- Synergy with central government: initiation → TKKSD assessment → NK drafting → NK signed →
  DPRD approval (when required) → RK drafting → RK signed.
- KSDPL / KSDLL: initiation → TKKSD assessment → offer → DPRD approval (always) → central
  government approval → KSB drafting → KSB signed → PKS drafting → PKS signed.
- Addendum: initiation → TKKSD assessment → addendum drafting → signed.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jalin.accounts import actors
from jalin.accounts.models import Role
from jalin.agreements.models import Category, Kind
from jalin.workflow.models import Stage

FOREIGN_CATEGORIES = (Category.KSDPL, Category.KSDLL)

# Transition names (stored in StageChange.transition and the audit trail).
SUBMIT = "submit"
RECOMMEND = "recommend"
ACCEPT_OFFER = "accept_offer"
TO_DPRD = "submit_to_dprd"
DPRD_APPROVED = "record_dprd_approval"
CENTRAL_APPROVED = "record_central_approval"
START_IMPLEMENTING = "start_implementing_draft"
SIGN = "sign"
SEND_BACK = "send_back"
REJECT = "reject"
WITHDRAW = "withdraw"

TRANSITION_LABELS = {
    SUBMIT: _("Submit to the TKKSD"),
    RECOMMEND: _("Record the TKKSD recommendation"),
    ACCEPT_OFFER: _("The partner accepted the offer"),
    TO_DPRD: _("Submit to the DPRD"),
    DPRD_APPROVED: _("Record the DPRD approval"),
    CENTRAL_APPROVED: _("Record the central government approval"),
    START_IMPLEMENTING: _("Start drafting the cooperation agreement"),
    SIGN: _("Record the signing"),
    SEND_BACK: _("Send back for revision"),
    REJECT: _("Reject"),
    WITHDRAW: _("Withdraw"),
}

# Which fields each transition asks for (the service validates them).
TRANSITION_FIELDS = {
    SUBMIT: (),
    RECOMMEND: ("recommendation", "note"),
    ACCEPT_OFFER: (),
    TO_DPRD: (),
    DPRD_APPROVED: ("dprd_approval_ref",),
    CENTRAL_APPROVED: ("central_approval_ref",),
    START_IMPLEMENTING: (),
    SIGN: ("title", "number", "signed_on", "effective_on", "ends_on"),
    SEND_BACK: ("reason",),
    REJECT: ("reason",),
    WITHDRAW: ("reason",),
}

ADMIN = frozenset({Role.ADMIN})
ADMIN_AND_AGENCY = frozenset({Role.ADMIN, Role.OPD_OFFICER})
ADMIN_AND_REVIEWER = frozenset({Role.ADMIN, Role.TKKSD_REVIEWER})

SEND_BACK_FROM = (Stage.TKKSD_ASSESSMENT,)
REJECT_FROM = (Stage.TKKSD_ASSESSMENT, Stage.OFFER, Stage.DPRD_APPROVAL, Stage.CENTRAL_APPROVAL)
WITHDRAW_FROM = (
    Stage.INITIATION,
    Stage.TKKSD_ASSESSMENT,
    Stage.OFFER,
    Stage.UMBRELLA_DRAFTING,
    Stage.DPRD_APPROVAL,
    Stage.CENTRAL_APPROVAL,
)
# Stages where reviewers comment (on the proposal or a draft).
REVIEW_STAGES = (Stage.TKKSD_ASSESSMENT, Stage.UMBRELLA_DRAFTING, Stage.IMPLEMENTING_DRAFTING)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    required: bool
    draft_of: str = ""  # "umbrella" / "implementing": fulfilled by a draft document of that agreement


FEASIBILITY = ChecklistItem("feasibility", _("Feasibility study"), True)
TERMS_OF_REFERENCE = ChecklistItem("terms_of_reference", _("Terms of reference (KAK)"), True)
OFFER_LETTER = ChecklistItem("offer_letter", _("Offer letter of the third party"), True)
PARTNER_ANSWER = ChecklistItem("partner_answer", _("Partner's answer to the offer"), False)
UMBRELLA_DRAFT = ChecklistItem("umbrella_draft", _("Draft of the agreement"), True, draft_of="umbrella")
DPRD_LETTER = ChecklistItem("dprd_letter", _("DPRD approval letter"), False)
CENTRAL_LETTER = ChecklistItem("central_letter", _("Central government approval letter"), False)
IMPLEMENTING_DRAFT = ChecklistItem(
    "implementing_draft", _("Draft of the cooperation agreement"), True, draft_of="implementing"
)
ATTACHABLE_ITEMS = {
    item.key: item
    for item in (FEASIBILITY, TERMS_OF_REFERENCE, OFFER_LETTER, PARTNER_ANSWER, DPRD_LETTER, CENTRAL_LETTER)
}


def checklist(stage: str, origin: str = "") -> list[ChecklistItem]:
    items = {
        Stage.INITIATION: [FEASIBILITY, TERMS_OF_REFERENCE],
        Stage.OFFER: [PARTNER_ANSWER],
        Stage.UMBRELLA_DRAFTING: [UMBRELLA_DRAFT],
        Stage.DPRD_APPROVAL: [DPRD_LETTER],
        Stage.CENTRAL_APPROVAL: [CENTRAL_LETTER],
        Stage.IMPLEMENTING_DRAFTING: [IMPLEMENTING_DRAFT],
    }.get(stage, [])
    if stage == Stage.INITIATION and origin == "third_party":
        items = [*items, OFFER_LETTER]
    return list(items)


def dprd_approval_required(
    *, category: str, burdens_citizens: bool | None, funding_in_current_apbd: bool | None
) -> bool:
    """DPRD approval is required when the plan burdens citizens or its funding is not in the
    current APBD; foreign cooperation always requires it. An unanswered question counts as
    the cautious answer (approval required)."""
    if category in FOREIGN_CATEGORIES:
        return True
    return burdens_citizens is not False or funding_in_current_apbd is not True


def umbrella_kind(category: str) -> str:
    return Kind.NK if category == Category.SYNERGY else Kind.KSB


def implementing_kind(umbrella: str) -> str:
    return Kind.RK if umbrella == Kind.NK else Kind.PKS


def track(*, category: str, kind: str, dprd_required: bool) -> list[str]:
    """The stages a process of this category and document kind passes through, in order."""
    if kind == Kind.ADDENDUM:
        return [Stage.INITIATION, Stage.TKKSD_ASSESSMENT, Stage.UMBRELLA_DRAFTING, Stage.IMPLEMENTATION]
    dprd = [Stage.DPRD_APPROVAL] if dprd_required else []
    if category in FOREIGN_CATEGORIES:
        return [
            Stage.INITIATION,
            Stage.TKKSD_ASSESSMENT,
            Stage.OFFER,
            Stage.DPRD_APPROVAL,
            Stage.CENTRAL_APPROVAL,
            Stage.UMBRELLA_DRAFTING,
            Stage.UMBRELLA_SIGNED,
            Stage.IMPLEMENTING_DRAFTING,
            Stage.IMPLEMENTATION,
        ]
    offer = [] if category == Category.SYNERGY else [Stage.OFFER]
    return [
        Stage.INITIATION,
        Stage.TKKSD_ASSESSMENT,
        *offer,
        Stage.UMBRELLA_DRAFTING,
        Stage.UMBRELLA_SIGNED,
        *dprd,
        Stage.IMPLEMENTING_DRAFTING,
        Stage.IMPLEMENTATION,
    ]


def next_stage(stages: list[str], stage: str) -> str | None:
    try:
        index = stages.index(stage)
    except ValueError:
        return None
    return stages[index + 1] if index + 1 < len(stages) else None


def forward_transition(stage: str, target: str | None) -> str | None:
    """The name of the forward transition out of `stage` towards `target`."""
    if target is None:
        return None
    if stage == Stage.INITIATION:
        return SUBMIT
    if stage == Stage.TKKSD_ASSESSMENT:
        return RECOMMEND
    if stage == Stage.OFFER:
        return TO_DPRD if target == Stage.DPRD_APPROVAL else ACCEPT_OFFER
    if stage in (Stage.UMBRELLA_DRAFTING, Stage.IMPLEMENTING_DRAFTING):
        return SIGN
    if stage == Stage.UMBRELLA_SIGNED:
        return TO_DPRD if target == Stage.DPRD_APPROVAL else START_IMPLEMENTING
    if stage == Stage.DPRD_APPROVAL:
        return DPRD_APPROVED
    if stage == Stage.CENTRAL_APPROVAL:
        return CENTRAL_APPROVED
    return None


def state_of(stage: str) -> str:
    """The stage's row in the who-acts-next table (jalin.accounts.actors)."""
    return f"workflow.{stage}"


def who_acts(stage: str) -> str:
    """Who must act next, in words: the table's answer for the stage."""
    return actors.who(state_of(stage))


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)

"""Helpers the workflow tests share: a proposal by Oscar, and walking a process forward."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jalin.agreements.models import Category
from jalin.agreements.services import PartyInput, strip_proposal_prefix
from jalin.workflow import stages
from jalin.workflow.drafts import draft_generate
from jalin.workflow.models import Recommendation, Stage
from jalin.workflow.services import forward, proposal_create, transition_apply

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)


def pdf(name="kajian.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def propose(world, actor=None, category=Category.KSDPK, attach=True, burdens=False, funded=True, **extra):
    actor = actor or world.oscar
    return proposal_create(
        actor=actor,
        fields={
            "category": category,
            "title": extra.pop("title", "Usulan telemedisin puskesmas"),
            "object": "Layanan telemedisin",
            "intended_benefits": "Warga desa mendapat konsultasi dokter",
            "lead_agency": world.dinkes,
        },
        parties=[PartyInput(partner=world.unila)],
        attachments={"feasibility": pdf(), "terms_of_reference": pdf("kak.pdf")} if attach else {},
        burdens_citizens=burdens,
        funding_in_current_apbd=funded,
        **extra,
    )


def walk_to(world, process, stage, today=None):
    """Apply the forward transitions with valid data until the process reaches `stage`."""
    today = today or timezone.localdate()
    for _step in range(12):
        process.refresh_from_db()
        if process.stage == stage:
            return process
        name, _target = forward(process)
        actor = world.oscar if name == stages.SUBMIT else world.alice
        data = {}
        if name == stages.RECOMMEND:
            data = {"recommendation": Recommendation.RECOMMENDED}
        if name == stages.SIGN:
            if process.stage == Stage.UMBRELLA_DRAFTING:
                draft_generate(actor=world.alice, process=process, which="umbrella")
                number, signing = f"KSB/{process.pk}/2026", process.agreement
            else:
                draft_generate(actor=world.alice, process=process, which="implementing")
                number, signing = f"PKS/{process.pk}/2026", process.implementing
            data = {
                "title": strip_proposal_prefix(signing.title),  # the final title, as the signing form prefills it
                "number": number,
                "signed_on": today,
                "ends_on": today + 700 * DAY,
            }
        if name == stages.DPRD_APPROVED:
            data = {"dprd_approval_ref": "DPRD/12/2026"}
        if name == stages.CENTRAL_APPROVED:
            data = {"central_approval_ref": "Kemendagri/3/2026"}
        transition_apply(actor=actor, process=process, name=name, data=data, today=today)
    raise AssertionError(f"never reached {stage}")

"""Proposals of the demo at different workflow stages."""

import datetime

from jalin.accounts.models import User
from jalin.agreements.models import Category, Financing

# Workflow ------------------------------------------------------------------------------------
from jalin.demo.specs import Tally
from jalin.partners.models import Partner


def build_workflow_demo(today: datetime.date, tally: Tally) -> None:
    """A few proposals of Pesawaran at different stages (one overdue, one with a draft and a
    TKKSD comment), so the work queue, the panel and the reminders have something to show.
    Idempotent: a proposal is matched by its title."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jalin.agreements.services import PartyInput, strip_proposal_prefix
    from jalin.workflow import services as workflow_services
    from jalin.workflow import stages as workflow_stages
    from jalin.workflow.drafts import draft_generate
    from jalin.workflow.models import Process, Recommendation, Stage

    admin = User.objects.filter(username="admin").first()
    officer = User.objects.filter(username="opd.dinkes").first()
    reviewer = User.objects.filter(username="tkksd").first()
    if not (admin and officer and reviewer and officer.agency_id):
        return
    partner = Partner.objects.filter(government_id=admin.government_id, archived_at__isnull=True).order_by("pk").first()
    if partner is None:
        return
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    specs = [
        ("Usulan telemedisin puskesmas pesisir", Stage.INITIATION),
        ("Usulan beasiswa tenaga kesehatan", Stage.TKKSD_ASSESSMENT),
        ("Usulan pengelolaan limbah medis terpadu", Stage.UMBRELLA_DRAFTING),
    ]
    for title, stage in specs:
        if Process.objects.filter(agreement__government_id=admin.government_id, agreement__title=title).exists():
            tally.count("agreements", created=False)
            continue
        tally.count("agreements", created=True)
        process = workflow_services.proposal_create(
            actor=admin,
            fields={
                "category": Category.KSDPK,
                "title": title,
                "object": strip_proposal_prefix(title),
                "intended_benefits": "Layanan kesehatan lebih dekat dengan warga",
                "lead_agency": officer.agency,
                "liaison_officer": officer,
                "financing": Financing.APBD,
            },
            parties=[PartyInput(partner=partner)],
            attachments={
                "feasibility": SimpleUploadedFile("kajian-kelayakan.pdf", pdf, content_type="application/pdf"),
                "terms_of_reference": SimpleUploadedFile("kak.pdf", pdf, content_type="application/pdf"),
            },
            burdens_citizens=False,
            funding_in_current_apbd=True,
            today=today,
        )
        if stage == Stage.INITIATION:
            continue
        start = today - datetime.timedelta(days=20)  # so the TKKSD step is overdue
        workflow_services.transition_apply(actor=admin, process=process, name=workflow_stages.SUBMIT, today=start)
        if stage == Stage.TKKSD_ASSESSMENT:
            continue
        workflow_services.transition_apply(
            actor=admin,
            process=process,
            name=workflow_stages.RECOMMEND,
            data={"recommendation": Recommendation.RECOMMENDED},
            today=today,
        )
        workflow_services.transition_apply(actor=admin, process=process, name=workflow_stages.ACCEPT_OFFER, today=today)
        draft = draft_generate(actor=admin, process=process)
        workflow_services.comment_add(
            actor=reviewer, process=process, body="Pasal hak dan kewajiban perlu dirinci per pihak.", draft=draft
        )

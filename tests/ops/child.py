"""A Jalin process the operations tests can kill: `python child.py <command> ...`.

setup                      build the test personas in a freshly migrated database, print ids
upload <phase> <marker>    upload a document as Oscar and stop at <phase> (writing, written,
                           row-saved) after touching <marker>, waiting to be killed
count                      print "<documents> <files referenced>" as JSON
"""

import json
import sys
import time
from pathlib import Path

import django

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from jalin.accounts.models import User  # noqa: E402
from jalin.agreements.models import Agreement  # noqa: E402
from jalin.documents.models import Document  # noqa: E402
from jalin.documents.services import document_upload  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"%" * 300_000


def wait_to_be_killed(marker: str) -> None:
    Path(marker).touch()
    time.sleep(120)
    sys.exit("not killed")


def upload(phase: str, marker: str) -> None:
    oscar = User.objects.get(username="oscar")
    agreement = Agreement.objects.get(number="180/2/PKS/2024")
    if phase == "writing":
        # Kill while the file's bytes are being written: a partial file on disk.
        original = default_storage._save

        def slow_save(name, content):
            class Halting:
                def __init__(self, wrapped):
                    self.wrapped = wrapped
                    self.size = wrapped.size

                def chunks(self, chunk_size=None):
                    data = b"".join(self.wrapped.chunks())
                    for index, start in enumerate(range(0, len(data), 16_384)):
                        yield data[start : start + 16_384]
                        if index == 3:
                            wait_to_be_killed(marker)

                def __getattr__(self, attr):
                    return getattr(self.wrapped, attr)

            return original(name, Halting(content))

        default_storage._save = slow_save
    elif phase in ("written", "row-saved"):
        original_save = Document.save

        def save(self, *args, **kwargs):
            if phase == "row-saved":
                original_save(self, *args, **kwargs)
            wait_to_be_killed(marker)

        Document.save = save
    document_upload(
        actor=oscar,
        agreement=agreement,
        kind="signed",
        title=f"Naskah {phase}",
        upload=SimpleUploadedFile("naskah.pdf", PDF, content_type="application/pdf"),
    )
    print("uploaded")


def import_register(marker: str) -> None:
    """Import the test register (tests/imports/files) and stop after its second agreement was
    written, inside the import's transaction."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imports" / "files"))
    import import_workbooks as books

    from jalin.agreements import services as agreement_services
    from jalin.imports import pipeline

    alice = User.objects.get(username="alice")
    register = pipeline.import_upload(
        actor=alice, upload=SimpleUploadedFile("register.xlsx", books.xlsx(books.messy_rows()))
    )
    pipeline.import_stage(import_id=register.pk)  # as the worker does
    register.refresh_from_db()
    accepted = [proposal["key"] for proposal in register.proposals]
    pipeline.import_confirm(actor=alice, register_import=register, accepted=accepted)
    original, calls = agreement_services.agreement_create, []

    def create(**kwargs):
        created = original(**kwargs)
        calls.append(created.pk)
        if len(calls) == 2:
            wait_to_be_killed(marker)
        return created

    agreement_services.agreement_create = create
    pipeline.import_apply(import_id=register.pk)
    print("imported")


def build_report(marker: str) -> None:
    """Build a register export as the worker does, and stop after its file was written to
    storage, before the job row says it is ready."""
    from jalin.reports import services as report_services
    from jalin.reports.models import ReportJob

    alice = User.objects.get(username="alice")
    job = report_services.report_job_create(actor=alice, kind="register", fmt="csv", params={})
    original_save = ReportJob.save

    def save(self, *args, **kwargs):
        if self.file and self.status == "done":
            wait_to_be_killed(marker)
        return original_save(self, *args, **kwargs)

    ReportJob.save = save
    report_services.report_job_run(job_id=job.pk)
    print("built")


def replica_probe(pk: int) -> dict:
    """Which database each kind of request reads, seen through ReplicaRoutingMiddleware."""
    from django.test import RequestFactory

    from jalin.ops.middleware import ReplicaRoutingMiddleware

    def view(request):
        title = Agreement.objects.get(pk=pk).title
        from django.db import router

        return {"title": title, "user_db": router.db_for_read(User), "agreement_db": router.db_for_read(Agreement)}

    middleware = ReplicaRoutingMiddleware(view)
    factory = RequestFactory()
    return {
        "portal_get": middleware(factory.get("/")),
        "portal_post": middleware(factory.post("/")),
        "staff_get": middleware(factory.get(f"/app/agreements/{pk}/")),
    }


def main() -> None:
    command = sys.argv[1]
    if command == "setup":
        from personas import build_world

        world = build_world()
        print(json.dumps({"agreement": world.pks.pk, "oscar": world.oscar.pk}))
    elif command == "upload":
        upload(sys.argv[2], sys.argv[3])
    elif command == "import":
        import_register(sys.argv[2])
    elif command == "report":
        build_report(sys.argv[2])
    elif command == "state":
        from jalin.imports.models import RegisterImport
        from jalin.reports.models import ReportJob

        print(
            json.dumps(
                {
                    "agreements": Agreement.objects.count(),
                    "imports": list(RegisterImport.objects.values_list("status", flat=True)),
                    "reports": list(ReportJob.objects.values("status", "file")),
                }
            )
        )
    elif command == "replica":
        print(json.dumps(replica_probe(int(sys.argv[2]))))
    elif command == "documents":
        print(json.dumps(list(Document.objects.values("pk", "file", "sha256", "size"))))
    elif command == "count":
        names = list(Document.objects.values_list("file", flat=True))
        print(json.dumps({"documents": len(names), "missing": [n for n in names if not default_storage.exists(n)]}))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()

"""Thin wrappers: the work is in jalin.reports.services."""

from huey.contrib.djhuey import db_task

from jalin.reports import services


@db_task()
def build_report_job(job_id: int) -> None:
    services.report_job_run(job_id=job_id)

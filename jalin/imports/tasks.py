"""Thin wrappers: the work is in jalin.imports.pipeline."""

from huey.contrib.djhuey import db_task

from jalin.imports import pipeline


@db_task()
def stage_import(import_id: int) -> None:
    pipeline.import_stage(import_id=import_id)


@db_task()
def apply_import(import_id: int) -> None:
    pipeline.import_apply(import_id=import_id)

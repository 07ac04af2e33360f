"""The kinds of document template a government may replace with its own (with its letterhead
and logo). An app that generates a document registers its kind here in its AppConfig.ready():
the shipped default file, the tags it fills in, and a sample context to test an upload with.
This app never imports the apps that register (they sit above it)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TemplateKind:
    key: str
    label: str  # lazy translatable
    default_path: Callable[[], Path]
    tags: dict[str, str]  # tag -> what it holds (English; shown on the admin page)
    sample: Callable[[], dict]  # a fully populated context, to check an upload renders


_KINDS: dict[str, TemplateKind] = {}


def register_kind(kind: TemplateKind) -> None:
    _KINDS[kind.key] = kind


def kinds() -> list[TemplateKind]:
    return list(_KINDS.values())


def get_kind(key: str) -> TemplateKind | None:
    return _KINDS.get(key)

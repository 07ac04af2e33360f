"""Checks every uploaded file passes before it is stored: name, size and real content.

The content type is decided from the file's bytes (magic numbers), never from the
browser's claim or the extension alone; the extension must agree with the content.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension -> content type we store and serve it as
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
# Photos (monitoring evidence); pass `allowed=EVIDENCE_TYPES` to accept documents and photos.
IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
EVIDENCE_TYPES = {**DOCUMENT_TYPES, **IMAGE_TYPES}
_OOXML_MARKERS = {"docx": "word/", "xlsx": "xl/"}
_MAX_NAME = 150


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def sanitise_name(raw: str) -> str:
    """A safe display name: no directories, no control or shell characters, bounded length."""
    base = PureWindowsPath(PurePosixPath(raw or "").name).name
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ()]+", "_", base).strip(" ._")
    if "." in base:
        stem, ext = base.rsplit(".", 1)
        base = f"{stem[: _MAX_NAME - len(ext) - 1]}.{ext.lower()}"
    return base[:_MAX_NAME]


def _sniff(head: bytes, upload: UploadedFile) -> str | None:
    """Return the extension family the bytes really are, or None."""
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension == "zip" or kind.mime.startswith("application/vnd.openxmlformats"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        for ext, marker in _OOXML_MARKERS.items():
            if "[Content_Types].xml" in names and any(name.startswith(marker) for name in names):
                return ext
        return None
    return {"jpg": "jpg", "png": "png", "pdf": "pdf", "odt": "odt", "webp": "webp"}.get(kind.extension)


def check_upload(upload: UploadedFile, *, max_bytes: int, allowed=DOCUMENT_TYPES) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with a message the user can act on."""
    name = sanitise_name(upload.name)
    if not name or "." not in name:
        raise ValidationError(_("The file needs a name with an extension, for example naskah.pdf."))
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    ext = name.rsplit(".", 1)[1].lower()
    if ext not in allowed:
        raise ValidationError(
            _("Files of type .%(ext)s are not accepted. Allowed: %(allowed)s.")
            % {"ext": ext, "allowed": ", ".join(sorted({f".{e}" for e in allowed}))}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    actual = _sniff(head, upload)
    if actual is None or EVIDENCE_TYPES.get(actual) != allowed[ext]:
        raise ValidationError(
            _("The content of %(name)s is not a real .%(ext)s file. Upload the original document.")
            % {"name": name, "ext": ext}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=name, content_type=allowed[ext], size=upload.size, sha256=digest.hexdigest())

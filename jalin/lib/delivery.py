"""Delivering a private file to a user who passed the access check (DOCUMENT_DOWNLOAD).

- "stream" (default): Django streams the bytes (FileResponse), from local disk or from the
  object storage alike.
- "x-accel": Django answers with an empty response carrying `X-Accel-Redirect`; nginx sends the
  file itself from an `internal` location that maps X_ACCEL_REDIRECT_PREFIX to the documents
  folder (deploy/nginx/jalin.conf). Local storage only; anything else falls back to streaming.
- "redirect": a redirect to a signed URL of the object storage valid for
  DOCUMENT_URL_EXPIRE_SECONDS (60 s by default), with the download name and type fixed in
  the signature. Object storage only; anything else falls back to streaming.
"""

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header


def is_local(storage) -> bool:
    """Files on this machine's disk (FileSystemStorage), as opposed to object storage."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def _content_disposition(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename)


def file_response(fieldfile, *, filename: str, content_type: str) -> HttpResponse:
    mode = settings.DOCUMENT_DOWNLOAD
    storage = fieldfile.storage
    if mode == "x-accel" and is_local(storage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = iri_to_uri(settings.X_ACCEL_REDIRECT_PREFIX + fieldfile.name)
        response["Content-Disposition"] = _content_disposition(filename)
    elif mode == "redirect" and hasattr(storage, "bucket_name"):
        url = storage.url(
            fieldfile.name,
            parameters={
                "ResponseContentDisposition": _content_disposition(filename),
                "ResponseContentType": content_type,
            },
            expire=getattr(storage, "querystring_expire", 60),
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(fieldfile.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response

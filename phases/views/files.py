"""Handing out a file of the private storage (evidence, attachments, the file behind a city
target's value): always a download, never shown inline. Views check who may have it first."""

from django.http import FileResponse, Http404

from phases.uploads import CONTENT_TYPES, TYPE_BY_EXTENSION


def file_response(field_file, name, content_type=""):
    """`field_file` as a download named `name` (RFC 5987 for Chinese), with the type found in its
    content at upload (lacking it, the one its checked extension stands for; anything else goes
    out as bytes), no sniffing, and a sandbox should a browser render it anyway."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    if not content_type:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        content_type = TYPE_BY_EXTENSION.get(extension, "")
    if content_type not in CONTENT_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private"
    return response

"""What the report commands share: write a document to the file named on the command line, as
Word or PDF by its extension, with command errors a person can act on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError

from wangge.core.errors import DomainError
from wangge.reports.document import FORMATS, Document, write


def write_document(output: str, build: Callable[[], Document]) -> str:
    """Build the document and write it to ``output`` as Word or PDF by the extension (checked
    first, before any work; ``document.write`` renders and writes); the line to tell the user.
    Bad input is a CommandError with return code 2, a database or file error one with return
    code 1; nothing is written on error."""
    path = Path(output)
    if path.suffix.lower() not in FORMATS:
        raise CommandError(
            f"{path.name!r} does not end in .docx or .pdf: the extension picks the format",
            returncode=2,
        )
    try:
        doc = build()
    except DomainError as exc:
        raise CommandError(exc.message, returncode=2) from None
    except DatabaseError as exc:
        raise CommandError(
            f"database error: {str(exc).strip()} (has `wangge migrate` been run?)",
            returncode=1,
        ) from None
    try:
        write(doc, path)
    except DomainError as exc:  # the extension is good: the file could not be written
        raise CommandError(exc.message, returncode=1) from None
    return f"Wrote {doc.title} to {path} ({path.stat().st_size:,} bytes)."

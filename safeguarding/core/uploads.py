"""Checking uploaded documents by their content, not their name or the browser's word."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENT_TYPES = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)"}


@dataclass(frozen=True)
class CheckedDocument:
    content_type: str
    size_bytes: int


def sniff_content_type(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def check_document(uploaded, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> CheckedDocument:
    """Accept a PDF, DOCX or XLSX within ``max_bytes``; anything else is refused with a
    message that names the file."""
    name = getattr(uploaded, "name", "the file")
    if uploaded.size > max_bytes:
        raise ValidationError(
            f"{name} is {uploaded.size / 1_048_576:.1f} MB: the limit is {max_bytes // 1_048_576} MB."
        )
    content_type = sniff_content_type(uploaded)
    if content_type is None:
        raise ValidationError(f"{name} must be a PDF, Word (DOCX) or Excel (XLSX) file.")
    return CheckedDocument(content_type=content_type, size_bytes=uploaded.size)

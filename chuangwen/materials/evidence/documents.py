"""Reading documents by content: what a ZIP-based Office file really is, and its word count.

Word counts follow Chinese usage (字数): every CJK character counts one, every run of Latin
letters or digits counts one, punctuation counts nothing. A .docx is a ZIP of XML; its text
is read from word/document.xml without any Office library, with a cap on the bytes inflated
so a ZIP bomb cannot exhaust memory. A PDF's text comes from pypdf, page by page, up to
MAX_PDF_PAGES pages and MAX_PDF_CHARS characters (a scanned PDF has no text: None, and the
reviewer sees "word count unknown" rather than a false "too short").
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET  # noqa: S405 - parsing trusted-structure XML with no entities

MAX_XML_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_PDF_CHARS = 2_000_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_COUNTED = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")


class DocumentError(ValueError):
    """The document cannot be read; the message is shown as is."""


def office_kind(data: bytes) -> str | None:
    """ "docx", "xlsx", "pptx" for a ZIP-based Office file (by its parts, not its name)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return None


def has_macros(data: bytes) -> bool:
    """Whether a ZIP-based Office file carries VBA macros (an .xlsm or .docm renamed .xlsx or
    .docx): reviewers open these files on office computers, where a macro would run."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return any(name.lower().endswith(("vbaproject.bin", "vbadata.xml")) for name in names)


def count_words(text: str) -> int:
    return len(_COUNTED.findall(text))


def docx_text(data: bytes) -> str:
    """The body text of a .docx, paragraphs separated by newlines."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise DocumentError("document.xml is too large")
            with archive.open(info) as handle:
                xml = handle.read(MAX_XML_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise DocumentError(str(exc)) from exc
    if len(xml) > MAX_XML_BYTES or b"<!DOCTYPE" in xml[:2000] or b"<!ENTITY" in xml:
        raise DocumentError("document.xml is not plain WordprocessingML")
    try:
        root = ET.fromstring(xml)  # noqa: S314 - DTDs and entities are refused above
    except ET.ParseError as exc:
        raise DocumentError(str(exc)) from exc
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(paragraphs)


def docx_words(data: bytes) -> int | None:
    """Words of a .docx, or None when it cannot be read."""
    try:
        return count_words(docx_text(data))
    except DocumentError:
        return None


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF; DocumentError when it is encrypted, broken or too long."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files warn loudly; we say it once
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("the PDF is encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentError("the PDF has too many pages to count")
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_PDF_CHARS:
                raise DocumentError("the PDF has too much text to count")
            parts.append(text)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        if isinstance(exc, DocumentError):
            raise
        raise DocumentError(str(exc)) from exc
    return "\n".join(parts)


def pdf_words(data: bytes) -> int | None:
    """Words of a PDF's text layer, or None when there is none (a scan) or it cannot be read."""
    try:
        words = count_words(pdf_text(data))
    except DocumentError:
        return None
    return words or None

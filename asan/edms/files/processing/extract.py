"""Text of one file, inside a pool worker: pypdf for PDFs, OCR for scans and images.

Everything here may meet hostile bytes, so every failure becomes an ``Extracted`` with a
reason rather than an exception: a PDF that cannot be opened at all (no header, no page
tree, a password) is refused; one that opens is kept, with the text pypdf could recover, the
OCR of pages without a text layer, and a warning for each repair or failed page.
"""

from __future__ import annotations

import io
import logging
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PasswordType, PdfReader, PdfWriter

from asan.edms.files.processing import models, ocr
from asan.edms.files.processing.models import Extracted
from asan.edms.files.processing.settings import ProcessingSettings
from asan.edms.files.processing.structure import StructureCheck

PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
IMAGE_TYPES = frozenset(ocr.IMAGE_SUFFIX)
HEADER_WINDOW = 1024  # readers accept %PDF anywhere in the first KiB
MAX_REPAIR_NOTES = 3

Announce = Callable[[int], None]


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip().splitlines()[0][:160] if record.msg else ""
        if message and message not in self.messages:
            self.messages.append(message)


@contextmanager
def pypdf_notes() -> Iterator[list[str]]:
    """What pypdf says while it repairs a damaged file (its log and its warnings)."""
    handler = _Collect()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False  # the notes become warnings on the file, not server log noise
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield handler.messages
            for item in caught:
                text = str(item.message).strip()[:160]
                if text and text not in handler.messages:
                    handler.messages.append(text)
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


def detail(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def extract(
    data: bytes, content_type: str | None, settings: ProcessingSettings, announce: Announce
) -> Extracted:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in PDF_TYPES or (not kind and b"%PDF-" in data[:HEADER_WINDOW]):
        return extract_pdf(data, settings, announce)
    if kind in IMAGE_TYPES:
        return ocr.image(data, kind, settings, announce)
    if kind.startswith("text/plain"):
        text = data.decode("utf-8", errors="replace")
        return Extracted(text=text, method=models.PLAIN, warnings=_empty_note(text))
    return Extracted(warnings=(models.unsupported(kind or "unknown"),))


def open_pdf(data: bytes) -> tuple[PdfReader, list[str]]:
    """A reader over a PDF that opens, its page count checked; raises Refused otherwise."""
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise Refused(models.not_a_pdf())
    notes: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise Refused(models.encrypted())
            notes.append(models.empty_password())
        if len(reader.pages) == 0:
            raise Refused(models.unreadable("no pages"))
    except (Refused, MemoryError):
        raise
    except Exception as error:
        raise Refused(models.unreadable(detail(error))) from error
    return reader, notes


def extract_pdf(data: bytes, settings: ProcessingSettings, announce: Announce) -> Extracted:
    with pypdf_notes() as repairs:
        try:
            reader, notes = open_pdf(data)
        except Refused as refusal:
            return Extracted(refused=refusal.message)
        with StructureCheck(data, settings) as check:
            texts = _page_texts(reader, notes)
            scans = [i for i, t in enumerate(texts) if _chars(t) < settings.text_layer_min_chars]
            searchable: bytes | None = None
            ocred: set[int] = set()
            if scans and not settings.ocr_enabled:
                notes.append(models.ocr_disabled())
            elif scans:
                searchable, ocred = _ocr_pages(
                    data, reader, texts, scans, settings, announce, notes
                )
            found = check.problems()
    damage = list(repairs) or found  # pypdf's own notes, else qpdf's
    if damage:
        more = len(damage) - MAX_REPAIR_NOTES
        summary = "; ".join(damage[:MAX_REPAIR_NOTES]) + (f" (+{more})" if more > 0 else "")
        notes.insert(0, models.repaired(summary))
    from_layer = any(_chars(t) and i not in ocred for i, t in enumerate(texts))
    from_ocr = any(_chars(texts[i]) for i in ocred)
    method = (
        models.MIXED
        if from_layer and from_ocr
        else models.OCR
        if from_ocr
        else models.PYPDF
        if from_layer
        else models.NONE
    )
    text = "\f".join(texts)
    if method == models.NONE:
        notes.append(models.no_text())
    return Extracted(
        text=text if method != models.NONE else "",
        pages=len(texts),
        method=method,
        warnings=tuple(notes),
        searchable_pdf=searchable,
        page_texts=tuple(texts),
    )


def _page_texts(reader: PdfReader, notes: list[str]) -> list[str]:
    texts: list[str] = []
    for index in range(len(reader.pages)):
        try:
            texts.append(_clean(reader.pages[index].extract_text() or ""))
        except MemoryError:
            raise
        except Exception as error:  # a broken page: the others may be fine
            notes.append(models.page_failed(index + 1, detail(error)))
            texts.append("")
    return texts


def _ocr_pages(
    data: bytes,
    reader: PdfReader,
    texts: list[str],
    scans: list[int],
    settings: ProcessingSettings,
    announce: Announce,
    notes: list[str],
) -> tuple[bytes | None, set[int]]:
    """OCR the pages without a text layer; a searchable copy of the whole document."""
    chosen = scans[: settings.ocr_max_pages]
    if len(chosen) < len(scans):
        notes.append(models.ocr_truncated(len(chosen), len(scans)))
    announce(len(chosen))
    page_pdfs: dict[int, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="asan-ocr-") as tmp:
        source = Path(tmp) / "source.pdf"
        source.write_bytes(data)
        for index in chosen:
            try:
                text, page_pdf = ocr.pdf_page(source, index + 1, settings)
            except ocr.OcrError as error:
                notes.append(models.page_failed(index + 1, models.ocr_failed(str(error))))
                continue
            texts[index] = _clean(text)
            page_pdfs[index] = page_pdf
    if not page_pdfs:
        return None, set()
    try:
        writer = PdfWriter()
        for index in range(len(texts)):
            if index in page_pdfs:
                writer.append(PdfReader(io.BytesIO(page_pdfs[index])))
            else:
                writer.add_page(reader.pages[index])
        out = io.BytesIO()
        writer.write(out)
    except MemoryError:
        raise
    except Exception as error:
        notes.append(models.ocr_failed(f"searchable copy not made: {detail(error)}"))
        return None, set(page_pdfs)
    return out.getvalue(), set(page_pdfs)


def _clean(text: str) -> str:
    return text.replace("\x00", "").replace("\f", "\n").strip()


def _chars(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def _empty_note(text: str) -> tuple[str, ...]:
    return () if text.strip() else (models.no_text(),)

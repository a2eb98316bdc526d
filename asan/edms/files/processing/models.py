"""What the processing pool hands back, and the messages people read about it.

Results cross a process boundary (pickled), so they are plain frozen dataclasses. Messages
are "Azerbaijani / English" like every user-facing message of the system: the registrar who
sees "refused" must learn why without asking IT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

Corner = Literal["top-right", "top-left", "bottom-right", "bottom-left"]
CORNERS: Final[tuple[Corner, ...]] = ("top-right", "top-left", "bottom-right", "bottom-left")

# Extracted.method
PYPDF: Final = "pypdf"  # the PDF's own text layer
OCR: Final = "ocr"  # every page with text came from tesseract
MIXED: Final = "pypdf+ocr"  # some pages had a text layer, the others were OCRed
PLAIN: Final = "plain"  # a text/plain file, decoded
NONE: Final = "none"  # nothing was extracted (refused, unsupported, or no text found)


@dataclass(frozen=True)
class Extracted:
    """The outcome of one file: text for search, or a reason, never an exception."""

    text: str = ""
    pages: int = 0
    method: str = NONE
    warnings: tuple[str, ...] = ()
    # tesseract's PDF (page images with an invisible text layer), stored as role "ocr"
    searchable_pdf: bytes | None = None
    # why the file cannot be used as a document (None when it can)
    refused: str | None = None
    # per-page text, in page order (what `text` joins with form feeds)
    page_texts: tuple[str, ...] = field(default=(), repr=False)

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())


class ProcessingFailed(Exception):
    """A stamp could not be made (the PDF is unreadable, encrypted, or over a limit)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def timed_out(seconds: float) -> str:
    return (
        f"fayl {seconds:g} saniyəlik emal vaxtını keçdi və dayandırıldı / processing "
        f"exceeded the {seconds:g} s time limit and was stopped"
    )


def out_of_memory(megabytes: int) -> str:
    return (
        f"fayl {megabytes} MB yaddaş limitini keçdi / processing exceeded the "
        f"{megabytes} MB memory limit"
    )


def crashed(exit_code: int | None) -> str:
    return (
        f"emal prosesi qəzaya uğradı (çıxış kodu {exit_code}) / the processing worker "
        f"crashed (exit code {exit_code})"
    )


def not_a_pdf() -> str:
    return "fayl PDF deyil (%PDF başlığı yoxdur) / the file is not a PDF (no %PDF header)"


def unreadable(detail: str) -> str:
    return f"PDF oxuna bilmir / the PDF cannot be read: {detail}"


def encrypted() -> str:
    return (
        "PDF parolla şifrələnib; parolsuz nüsxə istəyin / the PDF is encrypted with a "
        "password; ask the sender for an unencrypted copy"
    )


def bad_image(detail: str) -> str:
    return f"şəkil oxuna bilmir / the image cannot be read: {detail}"


def image_too_large(pixels: int, limit: int) -> str:
    return (
        f"şəkil çox böyükdür ({pixels} piksel, limit {limit}) / the image is too large "
        f"({pixels} pixels, limit {limit})"
    )


def repaired(detail: str) -> str:
    return (
        f"PDF zədələnib, düzəlişlərlə oxundu / the PDF is damaged and was read with repairs: "
        f"{detail}"
    )


def page_failed(page: int, detail: str) -> str:
    return f"{page}-ci səhifənin mətni çıxarılmadı / no text from page {page}: {detail}"


def no_text() -> str:
    return "faylda mətn tapılmadı / no text was found in the file"


def ocr_disabled() -> str:
    return "mətn qatı yoxdur və OCR söndürülüb / the file has no text layer and OCR is turned off"


def ocr_failed(detail: str) -> str:
    return f"OCR alınmadı / OCR failed: {detail}"


def ocr_truncated(done: int, total: int) -> str:
    return (
        f"OCR yalnız ilk {done} səhifəyə tətbiq edildi ({total} səhifədən) / only the first "
        f"{done} of {total} pages were OCRed"
    )


def unsupported(content_type: str) -> str:
    return (
        f"bu fayl növündən mətn çıxarılmır ({content_type}) / text is not extracted from "
        f"this type of file ({content_type})"
    )


def empty_password() -> str:
    return (
        "PDF boş parolla şifrələnib, oxundu / the PDF is encrypted with an empty user "
        "password and was read"
    )

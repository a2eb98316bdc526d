"""Settings of text extraction, OCR and stamping (``ASAN_EDMS_PROCESSING_*``).

Kept in this package so the processing part never collides with others in the shared
settings module. The limits are per file: a hostile or broken upload costs at most one
worker's time and memory, never the API process's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class ProcessingSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASAN_EDMS_PROCESSING_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # worker processes; each handles one file at a time
    workers: int = Field(default=2, ge=1, le=32)
    # wall-clock limit per file for reading and text extraction (and for a stamp)
    timeout_seconds: float = Field(default=60.0, gt=0)
    # added to the limit for every page that goes to OCR (announced by the worker)
    ocr_page_seconds: float = Field(default=60.0, gt=0)
    # the limit never grows past this, however many pages a scan has
    max_seconds: float = Field(default=1800.0, gt=0)
    # address space a worker may add for one file above its size after start-up (RLIMIT_AS,
    # inherited by pdftoppm and tesseract)
    memory_mb: int = Field(default=1024, ge=16)
    # OCR of scans and images with the tesseract binary
    ocr_enabled: bool = True
    ocr_languages: str = "aze+eng"
    ocr_dpi: int = Field(default=300, ge=50, le=600)
    ocr_max_pages: int = Field(default=200, ge=1)
    # a page with fewer non-blank characters than this has no text layer (a scan): OCRed
    text_layer_min_chars: int = Field(default=1, ge=1)
    # the largest image (pixels per frame) OCR accepts: a decompression bomb is refused
    max_image_pixels: int = Field(default=200_000_000, ge=1)
    # qpdf --check names the damage pypdf repairs silently (a warning on the file)
    structure_check: bool = True
    qpdf: str = "qpdf"
    tesseract: str = "tesseract"
    pdftoppm: str = "pdftoppm"
    # the stamp's font: it must have every Azerbaijani letter (ə ı İ ş ç ğ ö ü)
    stamp_font: Path = DEJAVU_SANS
    stamp_font_size: float = Field(default=9.0, ge=4, le=36)


@lru_cache(maxsize=1)
def processing_settings() -> ProcessingSettings:
    return ProcessingSettings()

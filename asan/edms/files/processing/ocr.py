"""OCR with the tesseract and pdftoppm binaries, inside a pool worker.

Called as subprocesses (not through a Python binding) so they inherit the worker's memory
limit and die with its process group when the pool kills a worker that ran over its time.
Tesseract writes the text and a searchable PDF (the page image with an invisible text layer)
in one run; ``OMP_THREAD_LIMIT=1`` keeps one page on one core, the pool gives parallelism.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from asan.edms.files.processing import models
from asan.edms.files.processing.models import Extracted
from asan.edms.files.processing.settings import ProcessingSettings

IMAGE_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"}


class OcrError(Exception):
    """A binary failed; the message says which and why (its last stderr line)."""


def _run(command: list[str], *, timeout: float) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)
    except FileNotFoundError as error:
        raise OcrError(f"{command[0]} is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise OcrError(f"{Path(command[0]).name} ran over {timeout:g} s") from error
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        tail = lines[-1] if lines else f"exit code {done.returncode}"
        raise OcrError(f"{Path(command[0]).name}: {tail[:200]}")


def tesseract(image: Path, settings: ProcessingSettings) -> tuple[str, bytes]:
    """Text and searchable PDF of one image file (every frame of a multi-page TIFF)."""
    base = image.with_suffix("")
    _run(
        [
            settings.tesseract,
            str(image),
            str(base),
            "-l",
            settings.ocr_languages,
            "--dpi",
            str(settings.ocr_dpi),
            "txt",
            "pdf",
        ],
        timeout=settings.max_seconds,
    )
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    return text, base.with_suffix(".pdf").read_bytes()


def pdf_page(pdf: Path, page: int, settings: ProcessingSettings) -> tuple[str, bytes]:
    """OCR of one page (1-based) of a PDF on disk: rasterised in grey, then tesseract."""
    base = pdf.parent / f"page-{page}"
    _run(
        [
            settings.pdftoppm,
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            str(settings.ocr_dpi),
            "-gray",
            "-png",
            "-singlefile",
            str(pdf),
            str(base),
        ],
        timeout=settings.max_seconds,
    )
    image = base.with_suffix(".png")
    if not image.exists():
        raise OcrError("pdftoppm wrote no image")
    return tesseract(image, settings)


def image(
    data: bytes,
    content_type: str,
    settings: ProcessingSettings,
    announce: Callable[[int], None],
) -> Extracted:
    """An uploaded scan (PNG, JPEG, TIFF): checked with Pillow first, then OCRed."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            frames = int(getattr(picture, "n_frames", 1))
            pixels = picture.width * picture.height
            picture.verify()
    except Exception as error:
        return Extracted(refused=models.bad_image(_detail(error)))
    if pixels > settings.max_image_pixels:
        return Extracted(refused=models.image_too_large(pixels, settings.max_image_pixels))
    if not settings.ocr_enabled:
        return Extracted(pages=frames, warnings=(models.ocr_disabled(),))
    announce(frames)
    with tempfile.TemporaryDirectory(prefix="asan-ocr-") as tmp:
        path = Path(tmp) / f"scan{IMAGE_SUFFIX.get(content_type, '.img')}"
        path.write_bytes(data)
        try:
            text, searchable = tesseract(path, settings)
        except OcrError as error:
            return Extracted(pages=frames, warnings=(models.ocr_failed(str(error)),))
    page_texts = tuple(part.strip() for part in text.split("\f"))[:frames]
    joined = "\f".join(page_texts)
    if not joined.strip():
        return Extracted(pages=frames, searchable_pdf=searchable, warnings=(models.no_text(),))
    return Extracted(
        text=joined,
        pages=frames,
        method=models.OCR,
        searchable_pdf=searchable,
        page_texts=page_texts,
    )


def _detail(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__

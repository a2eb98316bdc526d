"""Text extraction, OCR and registration stamps for document files, in worker processes.

The pool is the only entry point other parts use: ``ExtractionPool.extract`` (pypdf text,
OCR of scans and images, a searchable copy) and ``ExtractionPool.stamp`` (a stamped copy).
Hostile or broken files cost one worker's time and memory, within the limits per file.
"""

from asan.edms.files.processing.models import CORNERS, Corner, Extracted, ProcessingFailed
from asan.edms.files.processing.pool import ExtractionPool
from asan.edms.files.processing.settings import ProcessingSettings, processing_settings

__all__ = [
    "CORNERS",
    "Corner",
    "Extracted",
    "ExtractionPool",
    "ProcessingFailed",
    "ProcessingSettings",
    "processing_settings",
]

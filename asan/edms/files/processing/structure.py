"""A second opinion on a PDF's structure: ``qpdf --check``.

pypdf's lenient reader repairs many damaged files without a word (a wrong ``/Size``, a
missing ``endobj``, an undecodable stream); qpdf names each problem. Its first finding
becomes the file's warning, so a damaged file whose text could still be read is not kept as
if it were sound. Optional: without the binary the check is skipped.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from asan.edms.files.processing.settings import ProcessingSettings

QPDF_ERRORS = 2
QPDF_WARNINGS = 3


def problems(data: bytes, settings: ProcessingSettings) -> list[str]:
    """qpdf's findings (without the file name), empty for a sound file or without qpdf."""
    if not settings.structure_check:
        return []
    with tempfile.TemporaryDirectory(prefix="asan-check-") as tmp:
        path = Path(tmp) / "file.pdf"
        path.write_bytes(data)
        try:
            done = subprocess.run(
                [settings.qpdf, "--check", str(path)],
                capture_output=True,
                timeout=settings.max_seconds,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
                check=False,
            )
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return []
    if done.returncode not in (QPDF_ERRORS, QPDF_WARNINGS):
        return []
    found = []
    output = (done.stderr + done.stdout).decode("utf-8", "replace")
    for line in output.splitlines():
        if line.startswith(("WARNING: ", "ERROR: ")) or line.startswith(f"{path}:"):
            text = line.split(": ", 1)[1].replace(f"{path}", "").replace(str(path), "")
            text = text.removeprefix(": ").strip(" :")
            if text and text not in found and "file is damaged" not in text:
                found.append(text[:160])
    return found or ["qpdf found errors"]

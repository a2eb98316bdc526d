"""A second opinion on a PDF's structure: ``qpdf --check``.

pypdf's lenient reader repairs many damaged files without a word (a wrong ``/Size``, a
missing ``endobj``, an undecodable stream); qpdf names each problem. Its first findings
become the file's warning, so a damaged file whose text could still be read is not kept as
if it were sound. The check runs beside pypdf's extraction (started first, read last), so
its process start costs no wall-clock time on a busy machine. Optional: without the binary
the check is skipped.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from asan.edms.files.processing.settings import ProcessingSettings

QPDF_ERRORS = 2
QPDF_WARNINGS = 3


class StructureCheck:
    """``with StructureCheck(data, settings) as check: ...; check.problems()``."""

    def __init__(self, data: bytes, settings: ProcessingSettings) -> None:
        self._data = data
        self._settings = settings
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._path = Path()

    def __enter__(self) -> StructureCheck:
        if not self._settings.structure_check:
            return self
        self._tmp = tempfile.TemporaryDirectory(prefix="asan-check-")
        self._path = Path(self._tmp.name) / "file.pdf"
        self._path.write_bytes(self._data)
        with contextlib.suppress(OSError):
            self._process = subprocess.Popen(
                [self._settings.qpdf, "--check", str(self._path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def problems(self) -> list[str]:
        """qpdf's findings (without the file name); empty for a sound file or without qpdf."""
        if self._process is None:
            return []
        try:
            output, _ = self._process.communicate(timeout=self._settings.max_seconds)
        except subprocess.TimeoutExpired:
            return []
        if self._process.returncode not in (QPDF_ERRORS, QPDF_WARNINGS):
            return []
        found: list[str] = []
        for line in output.decode("utf-8", "replace").splitlines():
            if not line.startswith(("WARNING: ", "ERROR: ")):
                continue
            text = line.split(": ", 1)[1].replace(str(self._path), "").strip(" :")
            if text and text not in found and "file is damaged" not in text:
                found.append(text[:160])
        return found or ["qpdf found errors"]

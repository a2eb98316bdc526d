"""The content type of an upload, decided from its bytes (magic numbers), never from its name.

A client's declared type and the file name's extension are only compared with what the bytes
say: a mismatch is kept with a warning when the bytes are an accepted type, and executables
are refused whatever they are called (an ``.exe`` named ``.pdf`` is an executable).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Final

PDF: Final = "application/pdf"
PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
TIFF: Final = "image/tiff"
TEXT: Final = "text/plain"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX: Final = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT: Final = "application/vnd.oasis.opendocument.text"
ODS: Final = "application/vnd.oasis.opendocument.spreadsheet"
ZIP: Final = "application/zip"
OLE: Final = "application/x-ole-storage"  # legacy .doc / .xls
XML: Final = "application/xml"
JSON: Final = "application/json"

EXTENSIONS: Final[dict[str, str]] = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "tif": TIFF,
    "tiff": TIFF,
    "txt": TEXT,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": ODT,
    "ods": ODS,
    "zip": ZIP,
    "doc": OLE,
    "xls": OLE,
    "xml": XML,
    "json": JSON,
}
# types whose text the processing job extracts (PDF text, OCR of images)
EXTRACTABLE: Final[frozenset[str]] = frozenset({PDF, PNG, JPEG, TIFF, TEXT})

_EXECUTABLE: Final[tuple[tuple[bytes, str], ...]] = (
    (b"MZ", "Windows"),
    (b"\x7fELF", "ELF"),
    (b"\xfe\xed\xfa\xce", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O / Java class"),
    (b"#!", "script"),
    (b"\x00asm", "WebAssembly"),
)
_UNKNOWN: Final = (
    "faylın növü qəbul edilənlərdən deyil (PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT, mətn) / "
    "file type is not accepted (PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT, plain text)"
)
_NO_PDF_HEADER: Final = (
    "PDF kimi adlanıb, amma PDF başlığı (%PDF-) ilk 1024 baytda yoxdur / named as a PDF but "
    "has no PDF header (%PDF-) in its first 1024 bytes"
)
_RISKY_MEMBERS: Final = (".exe", ".dll", ".scr", ".bat", ".cmd", ".js", ".vbs", ".msi")
_TEXT_CONTROLS: Final = frozenset(range(0, 32)) - {9, 10, 12, 13}


@dataclass(frozen=True)
class Sniffed:
    content_type: str | None  # None: refused
    problem: str | None = None  # why it is refused (bilingual)
    warnings: tuple[str, ...] = ()


def _zip_type(data: bytes) -> str | None:
    """Office Open XML and OpenDocument files are zip archives told apart by their members."""
    declared = ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:  # at most 100 bytes inflated, whatever it claims
                with archive.open("mimetype") as member:
                    declared = member.read(100).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    if any(name.lower().endswith(_RISKY_MEMBERS) for name in names):
        return None  # an office document or archive carrying executables
    if declared in (ODT, ODS):
        return declared
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("ppt/") for name in names):
        return PPTX
    return ZIP


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in _TEXT_CONTROLS for ch in text[:65536])


def _by_magic(data: bytes) -> Sniffed:
    head = data[:1024]
    for magic, kind in _EXECUTABLE:
        if data.startswith(magic):
            return Sniffed(
                None,
                f"icra olunan fayl ({kind}) qəbul edilmir / executable content ({kind}) "
                "is not accepted",
            )
    if b"%PDF-" in head:
        warnings: tuple[str, ...] = ()
        if not data.startswith(b"%PDF-"):
            warnings = ("PDF başlığından əvvəl baytlar var / bytes before the PDF header",)
        return Sniffed(PDF, warnings=warnings)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG)
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG)
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed(TIFF)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed(OLE)
    if data.startswith(b"PK\x03\x04"):
        archive_type = _zip_type(data)
        if archive_type is None:
            return Sniffed(
                None,
                "arxiv oxunmur və ya icra olunan fayl saxlayır / archive is unreadable or "
                "holds executables",
            )
        return Sniffed(archive_type)
    if _is_text(data):
        stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"<?xml"):
            return Sniffed(XML)
        if stripped[:1] in (b"{", b"["):
            return Sniffed(JSON)
        return Sniffed(TEXT)
    return Sniffed(None, _UNKNOWN)


def _extension(filename: str) -> str:
    _, dot, ext = filename.rpartition(".")
    return ext.casefold() if dot else ""  # ASCII extensions: casefold is safe here


def sniff(data: bytes, filename: str, declared: str | None) -> Sniffed:
    """The accepted type of ``data``, or why it is refused; mismatches become warnings."""
    if not data:
        return Sniffed(None, "fayl boşdur / file is empty")
    found = _by_magic(data)
    if found.content_type is None:
        if EXTENSIONS.get(_extension(filename)) == PDF and found.problem == _UNKNOWN:
            return Sniffed(None, _NO_PDF_HEADER)
        return found
    warnings = list(found.warnings)
    claimed = EXTENSIONS.get(_extension(filename))
    if claimed is not None and claimed != found.content_type and not _compatible(claimed, found):
        warnings.append(
            f"faylın adı başqa növ göstərir, məzmun {found.content_type} kimi saxlanıldı / "
            f"the file name suggests {claimed}; stored as {found.content_type} from its content"
        )
    base = (declared or "").split(";", 1)[0].strip().lower()
    if base and base not in ("application/octet-stream", found.content_type):
        if not (base.startswith("text/") and found.content_type in (TEXT, XML, JSON)):
            warnings.append(
                f"bildirilən növ ({base[:80]}) məzmuna uyğun deyil / declared type does not "
                f"match the content; stored as {found.content_type}"
            )
    return Sniffed(found.content_type, warnings=tuple(warnings))


def _compatible(claimed: str, found: Sniffed) -> bool:
    # a .txt holding JSON or XML, or a .zip that is an office document, is no disguise
    if claimed == TEXT and found.content_type in (XML, JSON):
        return True
    return claimed == ZIP and found.content_type in (DOCX, XLSX, PPTX, ODT, ODS)

"""Types decided from the bytes: executables refused whatever their name, office documents
told apart inside their zip, mismatched names kept with a warning (no services needed)."""

from __future__ import annotations

import io
import zipfile

import pytest

from asan.edms.files.sniff import DOCX, JSON, ODT, PDF, PNG, TEXT, XML, ZIP, sniff
from tests.edms.files_support import EXECUTABLE, pdf_with_text, png


def archive(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (EXECUTABLE, "qərar.pdf"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "scan.pdf"),
        (b"\xcf\xfa\xed\xfe" + b"\x00" * 60, "doc.docx"),
        (b"#!/bin/sh\nrm -rf /\n", "notes.txt"),
        (archive({"word/document.xml": b"<w/>", "setup.exe": EXECUTABLE}), "a.docx"),
    ],
)
def test_executables_are_refused_whatever_their_name(data: bytes, name: str) -> None:
    found = sniff(data, name, "application/pdf")
    assert found.content_type is None and found.problem


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_with_text("x"), PDF),
        (png(), PNG),
        (archive({"word/document.xml": b"<w/>"}), DOCX),
        (archive({"mimetype": ODT.encode(), "content.xml": b"<x/>"}), ODT),
        (archive({"a.txt": b"hello"}), ZIP),
        ("Şəki, İçərişəhər, ağac\n".encode(), TEXT),
        (b'<?xml version="1.0"?><a/>', XML),
        (b'{"a": 1}', JSON),
    ],
)
def test_accepted_types(data: bytes, expected: str) -> None:
    found = sniff(data, "file", None)
    assert found.content_type == expected and found.warnings == ()


def test_mismatches_are_kept_with_a_warning_and_headerless_pdfs_say_why() -> None:
    image = sniff(png(), "skan.pdf", "application/pdf")
    assert image.content_type == PNG and len(image.warnings) == 2
    junk_first = sniff(b"garbage\n" + pdf_with_text("x"), "a.pdf", None)
    assert junk_first.content_type == PDF and junk_first.warnings
    headerless = sniff(b"A\x17\x00xref 9\x0b\x0c" + b"\x19" * 200, "bad.pdf", None)
    assert headerless.content_type is None and "%PDF-" in (headerless.problem or "")
    assert "empty" in (sniff(b"", "a.pdf", None).problem or "")

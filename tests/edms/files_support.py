"""Files the document-file tests send: real PDFs (with a text layer), images, a disguised
executable, and the GraphQL multipart request the spec describes."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping
from typing import Any

import httpx

UPLOAD = """
mutation($input: UploadDocumentFileInput!) {
  uploadDocumentFile(input: $input) {
    file { id documentId role version sha256 size contentType filename textStatus warnings
           derivedFrom downloadUrl }
    userErrors { field message code }
    clientMutationId
  }
}
"""


def pdf_with_text(text: str, *, padding: int = 0) -> bytes:
    """A one-page PDF whose text layer says ``text`` (ASCII), optionally padded to a size."""
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if padding:
        filler = b"%" + b"x" * 78 + b"\n"
        objects.append(
            b"<< /Length "
            + str(padding).encode()
            + b" >>\nstream\n"
            + (filler * (padding // len(filler) + 1))[:padding]
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# the first bytes of a Windows executable (the DOS header and stub message)
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)


def multipart(
    variables: Mapping[str, Any], data: bytes, filename: str, content_type: str
) -> dict[str, Any]:
    """httpx ``files=``/``data=`` for one upload at ``variables.input.file``."""
    operations = {"query": UPLOAD, "variables": {"input": {**variables, "file": None}}}
    return {
        "data": {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        "files": {"0": (filename, data, content_type)},
    }


async def upload(
    client: httpx.AsyncClient,
    token: str | None,
    variables: Mapping[str, Any],
    data: bytes,
    *,
    filename: str = "skan.pdf",
    content_type: str = "application/pdf",
    csrf: bool = True,
) -> httpx.Response:
    headers = {"Apollo-Require-Preflight": "true"} if csrf else {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await client.post(
        "/graphql", headers=headers, **multipart(variables, data, filename, content_type)
    )

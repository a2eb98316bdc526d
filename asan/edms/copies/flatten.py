"""Signature fields of the original become plain drawings on the copy.

A signed original's signature cannot survive the copy: the mark rewrites the file, so the old
signature would no longer cover the bytes and every reader (pdfsig, Acrobat) would flag the
copy as having an invalid signature. The copy is a new document signed by its certifier; what
the original's signature block LOOKED like stays on the page (its appearance is drawn into
the page content at the same place) while the field itself is removed. The original, with
its signature intact, stays stored and is what the copy's hash binding names.

Runs on the agency's own stored versions (the signing code parses them in-process too).
"""

from __future__ import annotations

import io
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    NameObject,
)


def _field_type(annot: Any) -> Any:
    found = annot.get("/FT")
    parent = annot.get("/Parent")
    if found is None and parent is not None:
        found = parent.get_object().get("/FT")
    return found


def _draw(page: PageObject, appearance: Any, rect: list[float]) -> None:
    """Merge the appearance XObject onto ``page`` scaled into ``rect``."""
    form = appearance.get_object()
    raw = [float(v) for v in form.get("/BBox", [0, 0, 1, 1])]
    # a rectangle's corners may come in any order (pyHanko writes [0 76 280 0])
    box = [min(raw[0], raw[2]), min(raw[1], raw[3]), max(raw[0], raw[2]), max(raw[1], raw[3])]
    width, height = box[2] - box[0], box[3] - box[1]
    rect = [
        min(rect[0], rect[2]),
        min(rect[1], rect[3]),
        max(rect[0], rect[2]),
        max(rect[1], rect[3]),
    ]
    if width <= 0 or height <= 0 or rect[2] <= rect[0] or rect[3] <= rect[1]:
        return
    overlay = PageObject.create_blank_page(
        width=float(page.mediabox.width), height=float(page.mediabox.height)
    )
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/AsanSig"): appearance})}
    )
    content = ContentStream(None, None)
    content.set_data(b"/AsanSig Do")
    overlay.replace_contents(content)
    sx, sy = (rect[2] - rect[0]) / width, (rect[3] - rect[1]) / height
    move = Transformation().translate(-box[0], -box[1]).scale(sx, sy).translate(rect[0], rect[1])
    page.merge_transformed_page(overlay, move)


def flatten_signatures(data: bytes) -> bytes:
    """``data`` with every signature field drawn flat and removed; unchanged if it has none."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    root: Any = reader.trailer["/Root"]
    if "/AcroForm" not in root:
        return data
    writer = PdfWriter(clone_from=reader)
    found = False
    for page in writer.pages:
        annots = page.get("/Annots")
        if not annots:
            continue
        keep = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget" or _field_type(annot) != "/Sig":
                keep.append(ref)
                continue
            found = True
            appearance = (annot.get("/AP") or {}).get("/N")
            if appearance is not None:
                _draw(page, appearance, [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])])
        page[NameObject("/Annots")] = keep
    if not found:
        return data
    form: Any = writer._root_object["/AcroForm"].get_object()
    fields: Any = form.get("/Fields") or ArrayObject()
    form[NameObject("/Fields")] = ArrayObject(
        f for f in fields.get_object() if _field_type(f.get_object()) != "/Sig"
    )
    if "/SigFlags" in form:
        del form["/SigFlags"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

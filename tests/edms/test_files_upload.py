"""Uploads through the GraphQL multipart request spec against real Neo4j and MinIO: versions,
hashes, id-only keys, ASCII metadata, sniffed types, CSRF and size refusals, downloads under
the document's read policy, idempotent repeats."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any
from urllib.parse import unquote

from asan.edms.documents.models import DocumentCard
from asan.edms.documents.use_cases import register_document
from tests.edms.conftest import World
from tests.edms.files_support import EXECUTABLE, pdf_with_text, png, upload


async def new_document(world: World, subject: str = "Vergi məktubu", **extra: Any) -> str:
    values: dict[str, Any] = {
        "kind": "incoming",
        "subject": subject,
        "unit": "DEPT-IT",
        "correspondent_kind": "state_body",
        "correspondent_body": "MIN-TAX",
        "correspondent_number": "12/345",
        "correspondent_date": date(2026, 1, 15),
        "channel": "mail",
        "pages": 1,
    }
    values.update(extra)
    return await register_document(
        world.platform, world.principal("registrar"), DocumentCard(**values)
    )


async def file_nodes(world: World, document_id: str) -> list[dict[str, Any]]:
    return await world.platform.db.read(
        "MATCH (f:DocumentFile {documentId: $d}) RETURN f.id AS id, f.version AS version, "
        "f.objectKey AS key ORDER BY f.version",
        {"d": document_id},
    )


async def objects_under(world: World, document_id: str) -> list[Any]:
    bucket = world.platform.buckets["documents"]
    return await world.platform.store.list(bucket, prefix=f"edms/{document_id}/")


async def test_uploads_are_versions_with_hash_id_keys_and_ascii_metadata(
    edms_world: World,
) -> None:
    world = edms_world
    doc = await new_document(world)
    first = pdf_with_text("first version")
    response = await upload(
        world.client,
        world.tokens["registrar"],
        {"documentId": doc},
        first,
        filename="Şəki rayonu müraciəti İçərişəhər.pdf",
    )
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["uploadDocumentFile"]
    assert payload["userErrors"] == []
    one = payload["file"]
    assert one["version"] == 1 and one["role"] == "ORIGINAL"
    assert one["sha256"] == hashlib.sha256(first).hexdigest()
    assert one["size"] == len(first) and one["contentType"] == "application/pdf"
    assert one["filename"] == "Şəki rayonu müraciəti İçərişəhər.pdf"
    assert one["textStatus"] == "PENDING"

    second = pdf_with_text("second version")
    response = await upload(world.client, world.tokens["registrar"], {"documentId": doc}, second)
    two = response.json()["data"]["uploadDocumentFile"]["file"]
    assert two["version"] == 2 and two["id"] != one["id"]

    # both versions kept, each its own object whose key is made of ids only
    nodes = await file_nodes(world, doc)
    assert [n["version"] for n in nodes] == [1, 2]
    assert [n["key"] for n in nodes] == [f"edms/{doc}/{one['id']}", f"edms/{doc}/{two['id']}"]
    objects = await objects_under(world, doc)
    assert sorted(o.key for o in objects) == sorted(n["key"] for n in nodes)
    for obj in objects:
        for name, meta in obj.metadata.items():
            assert name.isascii() and str(meta).isascii(), (name, meta)
        assert "Şəki" not in str(obj.metadata)

    # the first version's bytes are untouched, served under the read policy
    download = await world.client.get(one["downloadUrl"], headers=world.headers("registrar"))
    assert download.status_code == 200
    assert download.content == first
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == one["filename"]

    listed = await world.gql(
        "registrar",
        "query($d: ID!) { documentFiles(documentId: $d, allVersions: true) { id version } "
        "latest: documentFiles(documentId: $d) { id version } }",
        {"d": doc},
    )
    assert [f["version"] for f in listed["documentFiles"]] == [1, 2]
    assert listed["latest"] == [{"id": two["id"], "version": 2}]
    # the same through the Document node
    node = await world.gql(
        "registrar",
        "query($d: String!) { document(id: $d) { files(allVersions: true) { version sha256 } "
        "latest: files(role: ORIGINAL) { id } } }",
        {"d": doc},
    )
    assert [f["sha256"] for f in node["document"]["files"]] == [one["sha256"], two["sha256"]]
    assert node["document"]["latest"] == [{"id": two["id"]}]


async def test_readers_only_outsiders_get_not_found(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "Daxili məktub")
    response = await upload(
        world.client, world.tokens["registrar"], {"documentId": doc}, pdf_with_text("x")
    )
    url = response.json()["data"]["uploadDocumentFile"]["file"]["downloadUrl"]
    # the unit's head reads it; an outsider (another department) does not learn it exists
    assert (await world.client.get(url, headers=world.headers("head"))).status_code == 200
    assert (await world.client.get(url, headers=world.headers("outsider"))).status_code == 404
    assert (await world.client.get(url)).status_code == 401
    body = await world.post(
        "outsider", "query($d: ID!) { documentFiles(documentId: $d) { id } }", {"d": doc}
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # nor may the outsider add a file to it
    refused = await upload(
        world.client, world.tokens["outsider"], {"documentId": doc}, pdf_with_text("y")
    )
    errors = refused.json()["data"]["uploadDocumentFile"]["userErrors"]
    assert [e["code"] for e in errors] == ["NOT_FOUND"]
    assert len(await file_nodes(world, doc)) == 1


async def test_types_come_from_the_bytes(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "Növlər")
    # an executable named .pdf and declared as a PDF: refused, nothing stored
    response = await upload(
        world.client,
        world.tokens["registrar"],
        {"documentId": doc},
        EXECUTABLE,
        filename="qərar.pdf",
    )
    payload = response.json()["data"]["uploadDocumentFile"]
    assert payload["file"] is None
    assert payload["userErrors"][0]["field"] == "file"
    assert "executable" in payload["userErrors"][0]["message"]
    assert await file_nodes(world, doc) == [] and await objects_under(world, doc) == []

    # a PNG named .pdf: stored as the image it is, with a warning saying so
    response = await upload(
        world.client, world.tokens["registrar"], {"documentId": doc}, png(), filename="skan.pdf"
    )
    stored = response.json()["data"]["uploadDocumentFile"]["file"]
    assert stored["contentType"] == "image/png"
    assert any("image/png" in w for w in stored["warnings"])

    # empty, and bytes of no accepted type: refused with the reason
    for data, reason in ((b"", "empty"), (b"\x00\x01\x02\x03binary", "not accepted")):
        response = await upload(
            world.client,
            world.tokens["registrar"],
            {"documentId": doc},
            data,
            filename="a.bin",
            content_type="application/octet-stream",
        )
        errors = response.json()["data"]["uploadDocumentFile"]["userErrors"]
        assert reason in errors[0]["message"]
    assert len(await file_nodes(world, doc)) == 1


async def test_multipart_without_a_preflight_header_is_refused(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "CSRF")
    response = await upload(
        world.client, world.tokens["registrar"], {"documentId": doc}, pdf_with_text("x"), csrf=False
    )
    assert response.status_code == 400
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]
    assert await file_nodes(world, doc) == []
    # the other accepted header
    response = await world.client.post(
        "/graphql",
        headers={**world.headers("registrar"), "X-Asan-CSRF": "1"},
        **__import__("tests.edms.files_support", fromlist=["multipart"]).multipart(
            {"documentId": doc}, pdf_with_text("x"), "a.pdf", "application/pdf"
        ),
    )
    assert response.json()["data"]["uploadDocumentFile"]["file"]["version"] == 1


async def test_a_repeated_client_mutation_id_stores_once(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "Təkrar")
    variables = {"documentId": doc, "clientMutationId": "upload-1"}
    first = await upload(world.client, world.tokens["registrar"], variables, pdf_with_text("a"))
    again = await upload(world.client, world.tokens["registrar"], variables, pdf_with_text("a"))
    one = first.json()["data"]["uploadDocumentFile"]["file"]
    two = again.json()["data"]["uploadDocumentFile"]["file"]
    assert one["id"] == two["id"]
    assert len(await file_nodes(world, doc)) == 1
    assert len(await objects_under(world, doc)) == 1

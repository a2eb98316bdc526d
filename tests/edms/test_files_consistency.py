"""Object first, metadata last: a failed unit deletes its object, a crash between the two
leaves an orphan that the sweep removes, never a record pointing at nothing; the upload size
limit holds while the body streams (413 before it is read whole)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest

from asan.auth.pipeline import Mutation, run_mutation
from asan.core.errors import FieldError, ValidationFailed
from asan.core.uow import sweep_orphans
from asan.edms.documents.access import document_target
from asan.edms.files.policy import FILE_UPLOAD
from asan.edms.files.settings import files_settings
from asan.edms.files.use_cases import store_file_in_unit
from tests.edms.conftest import World
from tests.edms.files_support import UPLOAD, pdf_with_text, upload
from tests.edms.test_files_upload import file_nodes, new_document, objects_under

CRASH = """
import asyncio, os, sys
from asan.auth.pipeline import Mutation
from asan.auth.policy import Resource
from asan.auth.principal import SYSTEM
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.edms.files.use_cases import store_file_in_unit

async def main(doc: str) -> None:
    platform = Platform.connect(Settings())
    async with platform.unit_of_work() as uow:
        m = Mutation(uow, SYSTEM, "edms.file.upload", Resource("Document", doc))
        stored = await store_file_in_unit(
            m, doc, b"%PDF-1.4 crash test", filename="crash.pdf", content_type=None,
            role="original")
        print(stored.object_key, flush=True)
        os._exit(137)  # the process dies after the put, before the graph commits

asyncio.run(main(sys.argv[1]))
"""


async def test_a_failed_unit_deletes_its_object(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "Geri qaytarılan")

    async def work(m: Mutation) -> None:
        await store_file_in_unit(
            m, doc, pdf_with_text("x"), filename="a.pdf", content_type=None, role="original"
        )
        assert len(await objects_under(world, doc)) == 1  # written before the commit
        raise ValidationFailed([FieldError("subject", "a later check fails")])

    with pytest.raises(ValidationFailed):
        await run_mutation(
            world.platform, world.principal("registrar"), FILE_UPLOAD, document_target(doc), work
        )
    assert await file_nodes(world, doc) == []
    assert await objects_under(world, doc) == []


async def test_a_crash_between_object_and_commit_leaves_an_orphan_the_sweep_removes(
    edms_world: World,
) -> None:
    world = edms_world
    doc = await new_document(world, "Çökmə")
    kept = await upload(
        world.client, world.tokens["registrar"], {"documentId": doc}, pdf_with_text("committed")
    )
    kept_key = f"edms/{doc}/{kept.json()['data']['uploadDocumentFile']['file']['id']}"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CRASH,
        doc,
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 137, err.decode()
    orphan = out.decode().strip()
    assert orphan.startswith(f"edms/{doc}/")

    # the object exists, the graph has no record of it: nothing points at a missing file
    keys = {o.key for o in await objects_under(world, doc)}
    assert keys == {kept_key, orphan}
    assert [n["key"] for n in await file_nodes(world, doc)] == [kept_key]

    bucket = world.platform.buckets["documents"]
    # within the grace period the sweep leaves it (a unit in flight looks the same)
    assert orphan not in await sweep_orphans(world.platform.db, world.platform.store, bucket)
    removed = await sweep_orphans(
        world.platform.db, world.platform.store, bucket, grace=timedelta(0)
    )
    assert orphan in removed and kept_key not in removed
    assert {o.key for o in await objects_under(world, doc)} == {kept_key}


@pytest.fixture
def small_limit() -> Iterator[int]:
    """Uploads limited to 4 KiB (and 2 KiB of multipart overhead) for one test."""
    saved = {
        k: os.environ.get(k)
        for k in ("ASAN_EDMS_FILES_MAX_BYTES", "ASAN_EDMS_FILES_MULTIPART_OVERHEAD_BYTES")
    }
    os.environ["ASAN_EDMS_FILES_MAX_BYTES"] = "4096"
    os.environ["ASAN_EDMS_FILES_MULTIPART_OVERHEAD_BYTES"] = "2048"
    files_settings.cache_clear()
    yield 4096
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    files_settings.cache_clear()


@pytest.fixture
async def small_client(edms_world: World, small_limit: int) -> AsyncIterator[httpx.AsyncClient]:
    from asan.app import create_app

    app = create_app(edms_world.platform.settings, edms_world.platform, edms_world.auth)
    app.state.platform = edms_world.platform
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://asan.test"
    ) as client:
        yield client


async def test_the_size_limit_holds_while_the_body_streams(
    edms_world: World, small_client: httpx.AsyncClient, small_limit: int
) -> None:
    world = edms_world
    doc = await new_document(world, "Böyük fayl")
    boundary = "asan-boundary"
    operations = {"query": UPLOAD, "variables": {"input": {"documentId": doc, "file": None}}}
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{json.dumps(operations)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
        f'name="map"\r\n\r\n{json.dumps({"0": ["variables.input.file"]})}\r\n--{boundary}\r\n'
        'Content-Disposition: form-data; name="0"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    sent = 0

    async def body() -> AsyncIterator[bytes]:  # 1 MiB in 1 KiB chunks, no Content-Length
        nonlocal sent
        yield head
        for _ in range(1024):
            sent += 1
            yield b"0" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await small_client.post(
        "/graphql",
        content=body(),
        headers={
            **world.headers("registrar"),
            "Apollo-Require-Preflight": "1",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert sent < 16, f"read {sent} KiB of a 1 MiB body past a 6 KiB limit"
    assert await file_nodes(world, doc) == [] and await objects_under(world, doc) == []

    # a declared length over the limit is refused before any byte is read
    declared = await small_client.post(
        "/graphql",
        content=b"x" * 10_000,
        headers={
            **world.headers("registrar"),
            "Apollo-Require-Preflight": "1",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert declared.status_code == 413

    # a file one byte over the file limit whose body fits the body limit: a userError
    over = await upload(
        small_client,
        world.tokens["registrar"],
        {"documentId": doc},
        b"%PDF-1.4\n" + b"0" * (small_limit - 8),
    )
    errors = over.json()["data"]["uploadDocumentFile"]["userErrors"]
    assert errors[0]["field"] == "file" and str(small_limit) in errors[0]["message"]
    fits = await upload(
        small_client, world.tokens["registrar"], {"documentId": doc}, pdf_with_text("small")
    )
    assert fits.json()["data"]["uploadDocumentFile"]["file"]["version"] == 1


async def test_concurrent_uploads_get_distinct_versions(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "Paralel")
    responses = await asyncio.gather(*(
        upload(world.client, world.tokens["registrar"], {"documentId": doc},
               pdf_with_text(f"copy {n}"))
        for n in range(6)
    ))
    versions = sorted(r.json()["data"]["uploadDocumentFile"]["file"]["version"]
                      for r in responses)
    assert versions == [1, 2, 3, 4, 5, 6]
    assert len(await objects_under(world, doc)) == 6


async def test_a_missing_document_leaves_no_object(edms_world: World) -> None:
    world = edms_world
    missing = "no-such-document"

    async def work(m: Mutation) -> None:
        await store_file_in_unit(m, missing, pdf_with_text("x"), filename="a.pdf",
                                 content_type=None, role="original")

    from asan.auth.policy import Resource
    from asan.auth.principal import SYSTEM
    from asan.core.errors import NotFound

    with pytest.raises(NotFound):
        await run_mutation(world.platform, SYSTEM, FILE_UPLOAD, Resource("Document", missing),
                           work)
    assert await objects_under(world, missing) == []

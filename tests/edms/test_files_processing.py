"""After an upload commits, the processing job extracts text, stamps a registered incoming
PDF as a derived version and keeps damaged files without text with a warning; the original's
bytes stay untouched. Real Neo4j, MinIO and worker processes (the processing pool)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import pytest

from asan.edms.files.jobs import process_all_pending
from asan.edms.files.processing import ExtractionPool
from asan.edms.files.reads import current_file, file_by_id, read_bytes
from tests.edms.conftest import World
from tests.edms.files_support import pdf_with_text, upload
from tests.edms.test_files_upload import new_document


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[ExtractionPool]:
    async with ExtractionPool() as running:
        yield running


def pdftotext(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"], capture_output=True, check=True
        )
    return done.stdout.decode("utf-8")


async def uploaded(world: World, doc: str, data: bytes, name: str = "skan.pdf") -> dict[str, Any]:
    response = await upload(
        world.client, world.tokens["registrar"], {"documentId": doc}, data, filename=name
    )
    payload = response.json()["data"]["uploadDocumentFile"]
    assert payload["userErrors"] == [], payload
    file: dict[str, Any] = payload["file"]
    return file


async def test_text_is_extracted_and_a_stamped_copy_is_derived(
    edms_world: World, pool: ExtractionPool
) -> None:
    world = edms_world
    doc = await new_document(world, "Ştamplanacaq məktub")
    original = pdf_with_text("Request about tax number 1234567")
    file = await uploaded(world, doc, original)
    assert file["textStatus"] == "PENDING"

    report = await process_all_pending(world.platform, pool)
    assert file["id"] in report.done

    stored = await file_by_id(world.platform.db, file["id"])
    assert stored is not None and stored.text_status == "done"
    listed = await world.gql(
        "registrar",
        "query($id: ID!) { documentFile(id: $id) { textStatus text } }",
        {"id": file["id"]},
    )
    assert "tax number 1234567" in listed["documentFile"]["text"]

    stamp = await current_file(world.platform.db, doc, "registration_stamp")
    assert stamp is not None and stamp.derived_from == file["id"] and stamp.version == 1
    assert stamp.id in report.stamps
    number = (
        await world.platform.db.read(
            "MATCH (d:Document {id: $id}) RETURN d.regNumber AS n", {"id": doc}
        )
    )[0]["n"]
    text = pdftotext(await read_bytes(world.platform, stamp))
    assert f"Qeydiyyat № {number}" in text
    assert "daxil olan sənəd" in text  # Azerbaijani letters survive the font
    # the original is untouched: same bytes, same hash, still version 1 of "original"
    again = await current_file(world.platform.db, doc, "original")
    assert again is not None and again.id == file["id"]
    assert await read_bytes(world.platform, again) == original
    assert again.sha256 == hashlib.sha256(original).hexdigest()

    # a second pass finds nothing: derived versions are not processed again
    assert (await process_all_pending(world.platform, pool)).done == []


async def test_a_damaged_pdf_is_kept_without_text_and_says_why(
    edms_world: World, pool: ExtractionPool
) -> None:
    world = edms_world
    doc = await new_document(world, "Zədəli fayl")
    damaged = pdf_with_text("never readable")[:120]  # the header and half an object
    file = await uploaded(world, doc, damaged, "zədəli.pdf")
    report = await process_all_pending(world.platform, pool)
    assert file["id"] in report.no_text
    data = await world.gql(
        "registrar",
        "query($id: ID!) { documentFile(id: $id) { textStatus warnings text } }",
        {"id": file["id"]},
    )
    assert data["documentFile"]["textStatus"] == "NO_TEXT"
    assert data["documentFile"]["text"] is None
    assert data["documentFile"]["warnings"], "a damaged file must say why it has no text"
    assert await current_file(world.platform.db, doc, "registration_stamp") is None


async def test_the_cli_processes_what_is_pending(edms_world: World) -> None:
    world = edms_world
    doc = await new_document(world, "CLI")
    file = await uploaded(world, doc, pdf_with_text("processed by the operator command"))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "asan",
        "edms",
        "process-pending",
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    assert "files with text: 1" in (out + err).decode()  # the CLI's console is stderr
    stored = await file_by_id(world.platform.db, file["id"])
    assert stored is not None and stored.text_status == "done"


async def test_an_original_received_before_registration_is_stamped_once_registered(
    edms_world: World, pool: ExtractionPool
) -> None:
    from datetime import date

    from asan.auth.pipeline import Mutation, run_mutation
    from asan.auth.policy import Resource
    from asan.auth.principal import SYSTEM
    from asan.edms.documents.models import DocumentCard
    from asan.edms.documents.use_cases import create_document_in_unit, register_document
    from asan.edms.files.use_cases import store_file_in_unit

    world = edms_world
    card = DocumentCard(kind="incoming", subject="Elektron gələn", unit="DEPT-IT",
                        correspondent_kind="state_body", correspondent_body="MIN-TAX",
                        correspondent_number="7/1", correspondent_date=date(2026, 2, 2),
                        channel="email", pages=1)

    async def arrives(m: Mutation) -> str:  # as a delivery from another body's system would
        doc = await create_document_in_unit(m, card, status="received")
        await store_file_in_unit(m, doc, pdf_with_text("arrived electronically"),
                                 filename="gələn.pdf", content_type=None, role="original")
        return doc

    doc = await run_mutation(world.platform, SYSTEM, "edms.document.register",
                             Resource("Document"), arrives)
    first = await process_all_pending(world.platform, pool)
    assert len(first.done) == 1 and first.stamps == []
    assert await current_file(world.platform.db, doc, "registration_stamp") is None

    await register_document(world.platform, world.principal("registrar"), card, document_id=doc)
    second = await process_all_pending(world.platform, pool)
    assert second.done == [] and len(second.stamps) == 1
    stamp = await current_file(world.platform.db, doc, "registration_stamp")
    original = await current_file(world.platform.db, doc, "original")
    assert stamp is not None and original is not None and stamp.derived_from == original.id
    number = (await world.platform.db.read(
        "MATCH (d:Document {id: $id}) RETURN d.regNumber AS n", {"id": doc}))[0]["n"]
    assert f"Qeydiyyat № {number}" in pdftotext(await read_bytes(world.platform, stamp))
    # stamped once: a further pass makes nothing
    assert (await process_all_pending(world.platform, pool)).stamps == []


async def test_the_background_job_processes_an_upload_as_soon_as_it_commits(
    edms_world: World, pool: ExtractionPool
) -> None:
    from asan.edms.files.jobs import ProcessReport, run_processing

    world = edms_world
    doc = await new_document(world, "Fon işi")
    stop = asyncio.Event()
    done: set[str] = set()
    seen = asyncio.Event()

    def on_pass(report: ProcessReport) -> None:
        done.update(report.done)
        seen.set()

    # what the API's lifespan runs; an interval far longer than the test: only the upload's
    # wake-up can start the pass that processes it
    os.environ["ASAN_EDMS_FILES_PROCESS_INTERVAL_SECONDS"] = "3600"
    from asan.edms.files.settings import files_settings

    files_settings.cache_clear()
    job = asyncio.create_task(run_processing(world.platform, stop, pool=pool, on_pass=on_pass))
    try:
        await asyncio.wait_for(seen.wait(), timeout=60)  # the first pass found nothing
        file = await uploaded(world, doc, pdf_with_text("picked up by the job"))
        while file["id"] not in done:
            seen.clear()
            await asyncio.wait_for(seen.wait(), timeout=60)
    finally:
        stop.set()
        await asyncio.wait_for(job, timeout=60)
        os.environ.pop("ASAN_EDMS_FILES_PROCESS_INTERVAL_SECONDS", None)
        files_settings.cache_clear()
    stored = await file_by_id(world.platform.db, file["id"])
    assert stored is not None and stored.text_status == "done"

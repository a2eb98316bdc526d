"""The change feed: paging by a stable cursor, visibility by the read policy, tombstones."""

from __future__ import annotations

from datetime import UTC, datetime

from asan.auth.principal import ANONYMOUS, SYSTEM, Principal
from asan.core import changelog
from asan.core.changelog import Change
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.integration.feed import decode_cursor, encode_cursor
from tests.integration.support import draft, feed, gql, publish, rename, withdraw
from tests.registry.catalog_support import EDITOR_ASAN, EDITOR_DIN, REVIEWER, build_registry

AUDITOR = Principal(subject="aud", kind="user", roles=frozenset({"auditor"}))


def service_events(events: list[dict[str, object]], code: str) -> list[dict[str, object]]:
    return [e for e in events if e["kind"] == "SERVICE" and e["entityId"] == code]


async def test_drafts_never_reach_the_public_feed_but_reach_their_body(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await draft(p, "DIN-001")
    public, _ = await feed(p)
    assert service_events(public, "DIN-001") == []
    assert {e["kind"] for e in public} >= {"STATE_BODY", "INFORMATION_SYSTEM", "ASAN_CENTRE"}
    own, _ = await feed(p, EDITOR_DIN)
    assert [e["operation"] for e in service_events(own, "DIN-001")] == ["CREATED"]
    other, _ = await feed(p, EDITOR_ASAN)
    assert service_events(other, "DIN-001") == []
    reviewer, _ = await feed(p, REVIEWER)
    assert service_events(reviewer, "DIN-001")[0]["node"]["status"] == "DRAFT"


async def test_withdrawn_service_is_a_tombstone_for_public_and_plain_for_reviewers(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    await draft(p, "DIN-001")
    await publish(p, "DIN-001")
    public, _ = await feed(p)
    published = service_events(public, "DIN-001")
    assert published, "a published service's events reach the public"
    assert all(not e["tombstone"] for e in published)
    assert published[-1]["node"] == {
        "code": "DIN-001",
        "nameAz": "Xidmət",
        "status": "PUBLISHED",
    }
    assert published[-1]["nodeId"]
    await withdraw(p, "DIN-001")
    public, _ = await feed(p)
    gone = service_events(public, "DIN-001")
    assert len(gone) > len(published)
    assert all(e["tombstone"] and e["operation"] == "WITHDRAWN" for e in gone)
    assert all(e["node"] is None and e["fields"] == [] and e["nodeId"] is None for e in gone)
    never, _ = await feed(p, ANONYMOUS, kinds=["SERVICE"])
    assert {e["entityId"] for e in never} == {"DIN-001"}, "a never-published code is absent"
    reviewer, _ = await feed(p, REVIEWER)
    seen = service_events(reviewer, "DIN-001")
    assert not any(e["tombstone"] for e in seen)
    assert seen[-1]["operation"] == "STATUS_CHANGED"
    assert seen[-1]["node"]["status"] == "WITHDRAWN"


async def test_paging_by_cursor_equals_one_read_and_skips_hidden_events(
    clean_platform: Platform,
) -> None:
    p = clean_platform
    await build_registry(p)
    for i in range(4):
        await draft(p, f"DIN-00{i}")
    await publish(p, "DIN-001")
    await rename(p, "DIN-001", "Yeni ad")
    await draft(p, "DIN-009")  # hidden from the public, at the log's end
    whole, last = await feed(p, first=100)
    seqs = [e["seq"] for e in whole]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    paged, _ = await feed(p, first=2)
    assert [e["seq"] for e in paged] == seqs
    head = await changelog.head_seq(p.db)
    # the end cursor passes the hidden drafts at the log's end too: resuming rescans nothing
    assert decode_cursor(last["pageInfo"]["endCursor"]) == head
    assert last["headCursor"] == encode_cursor(head)
    assert seqs[-1] < head, "the last events (drafts) are hidden from the public"
    data = await gql(p, "{ changesHead }")
    assert decode_cursor(data["changesHead"]) == head
    # a cursor survives: it is the sequence number, stored in the graph
    resumed, _ = await feed(p, after=whole[2]["cursor"])
    assert [e["seq"] for e in resumed] == seqs[3:]
    renamed = [e for e in service_events(whole, "DIN-001") if e["operation"] == "UPDATED"]
    assert renamed and "nameAz" in renamed[-1]["fields"]


async def test_kinds_filter_and_internal_kinds(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    async with p.db.transaction() as tx:
        await changelog.append(
            tx, [Change("User", "u-1", "created", ("username",))], "system", "t", datetime.now(UTC)
        )
    bodies, _ = await feed(p, kinds=["STATE_BODY"])
    assert bodies and {e["kind"] for e in bodies} == {"STATE_BODY"}
    assert [e["entityId"] for e in bodies] == ["DIN", "ASAN", "DMX"]
    assert bodies[0]["node"]["code"] == "DIN"
    for caller in (ANONYMOUS, EDITOR_DIN, REVIEWER):
        seen, _ = await feed(p, caller)
        assert "USER" not in {e["kind"] for e in seen}, caller.subject
    for caller in (SYSTEM, AUDITOR):
        seen, _ = await feed(p, caller, kinds=["USER"])
        assert [e["entityId"] for e in seen] == ["u-1"]


async def test_bad_cursors_and_page_sizes_are_bad_user_input(clean_platform: Platform) -> None:
    p = clean_platform
    for after, first in (("not base64!", 5), (encode_cursor(1)[:-2] + "x", 5), ("WzFd", 5)):
        result = await schema.execute(
            "query($a: String, $f: Int) { changes(after: $a, first: $f) { headCursor } }",
            variable_values={"a": after, "f": first},
            context_value=Context(platform=p),
        )
        assert result.errors, after
        assert result.errors[0].extensions["code"] == "BAD_USER_INPUT", result.errors
    result = await schema.execute(
        "{ changes(first: 101) { headCursor } }", context_value=Context(platform=p)
    )
    assert result.errors and result.errors[0].extensions["code"] == "BAD_USER_INPUT"

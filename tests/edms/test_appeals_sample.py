"""The sample appeals of ``make run``: made through the real use cases, one in each state of the
appeal's way, a reception sitting with visitors, every node marked sample; loading twice adds
nothing."""

from __future__ import annotations

from datetime import timedelta

from asan.auth.accounts import create_user
from asan.auth.models import NewUser
from asan.auth.principal import SYSTEM
from asan.core.workdays import today_in_baku
from asan.edms.appeals.sample import OFFICIAL, load_sample_appeals
from asan.seeding import SAMPLE_LOADERS
from tests.edms.conftest import PASSWORD, World


async def test_sample_appeals_cover_every_state_once(edms_world: World) -> None:
    assert load_sample_appeals in SAMPLE_LOADERS  # make run loads them
    p = edms_world.platform
    await p.db.write(
        "CREATE (:AsanCentre {code: 'BAKI-1', name: 'Bakı 1 nömrəli ASAN xidmət mərkəzi', "
        "nameFold: 'bakı 1', region: 'Bakı', address: 'Ünvan', hours: '09:00-19:00'})"
    )
    await create_user(p, SYSTEM, NewUser(OFFICIAL, "Demo Head", PASSWORD, frozenset(), None))
    await p.db.write(
        "MATCH (u:User {username: $u}), (pos:Position {code: 'DEPT-IT-HEAD'}) "
        "CREATE (u)-[:HOLDS {validFrom: $from, validUntil: null}]->(pos)",
        {"u": OFFICIAL, "from": today_in_baku() - timedelta(days=30)},
    )
    said = await load_sample_appeals(p)
    assert "sample appeals: 8" in said and "one sitting" in said
    rows = await p.db.read(
        "MATCH (d:Document {kind: 'appeal'}) RETURN d.status AS status, d.sample AS sample, "
        "d.channel AS channel, d.regNumber AS number"
    )
    assert len(rows) == 9  # and the one registered at the reception
    assert all(r["sample"] is True and r["number"] for r in rows)
    assert {r["status"] for r in rows} == {
        "registered",
        "answered",
        "forwarded",
        "left_unconsidered",
    }
    assert {r["channel"] for r in rows} == {
        "asan_centre",
        "website",
        "mail",
        "call_centre_108",
        "reception",
    }
    reception = await p.db.read(
        "MATCH (v:ReceptionVisit)-[:AT]->(s:ReceptionSlot) "
        "RETURN v.status AS status, v.sample AS vs, s.sample AS ss ORDER BY status"
    )
    assert [r["status"] for r in reception] == ["booked", "received"]
    assert all(r["vs"] is True and r["ss"] is True for r in reception)
    again = await load_sample_appeals(p)
    assert "already there" in again
    count = await p.db.read("MATCH (d:Document {kind: 'appeal'}) RETURN count(d) AS n")
    assert count[0]["n"] == len(rows)

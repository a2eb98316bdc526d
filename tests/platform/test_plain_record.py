"""``plain_record`` (the adapter's faster ``Record.data()``) answers exactly as the driver does."""

from __future__ import annotations

from asan.core.db import plain_record
from asan.core.platform import Platform

VALUES = """
MATCH path = (a:PlainProbe {name: 'a'})-[r:PROBE_LINK]->(b:PlainProbe)
RETURN a, r, b, path, [a, b] AS nodes, {node: a, rel: r, inner: [path]} AS nested,
       'ə' AS text, 1 AS int, 1.5 AS float, true AS flag, null AS nothing,
       date('2026-11-30') AS day, datetime('2026-11-30T12:00:00+04:00') AS instant,
       localtime('12:30') AS clock, duration('P1DT2H') AS span,
       point({x: 1.0, y: 2.0}) AS spot, [[1, [2, {k: [3, 'x']}]], []] AS lists,
       {m: {n: {o: [true, null, 2.5]}}, e: {}} AS maps, a {.*, extra: [b {.name}]} AS projected
"""


async def test_plain_record_equals_record_data(clean_platform: Platform) -> None:
    p = clean_platform
    await p.db.write(
        """
        CREATE (:PlainProbe {name: 'a', tags: ['x', 'y'], born: date('2000-01-01')})
               -[:PROBE_LINK {since: 2020, weight: 0.5}]->(:PlainProbe {name: 'b', n: 7})
        """
    )
    driver = p.db._driver
    records, _, _ = await driver.execute_query(VALUES, database_=p.db.database, routing_="r")
    assert len(records) == 1
    for record in records:
        assert plain_record(record) == record.data()
        assert list(plain_record(record)) == list(record.data())  # same keys, same order
    # and through the adapter's own read path
    via_adapter = await p.db.read(VALUES)
    assert via_adapter == [record.data() for record in records]
    node = via_adapter[0]["nested"]["node"]
    assert node["name"] == "a" and node["tags"] == ["x", "y"]  # a node became its properties

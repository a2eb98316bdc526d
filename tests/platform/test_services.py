"""The real Neo4j and MinIO that `make test` started: round trips, Unicode, 1 MiB objects."""

import os

from asan.core.platform import Platform


async def test_neo4j_round_trip_keeps_azerbaijani_text(clean_platform: Platform) -> None:
    name = "Elektron sənəd dövriyyəsi şöbəsi — İş ğ ö ü ç ı"
    await clean_platform.db.write("CREATE (:Probe {name: $name})", {"name": name})
    rows = await clean_platform.db.read("MATCH (p:Probe) RETURN p.name AS name")
    assert rows == [{"name": name}]


async def test_parameters_are_not_interpreted_as_cypher(clean_platform: Platform) -> None:
    hostile = "x'}) MATCH (n) DETACH DELETE n //"
    await clean_platform.db.write("CREATE (:Probe {name: $name})", {"name": hostile})
    await clean_platform.db.write("CREATE (:Probe {name: 'other'})")
    rows = await clean_platform.db.read("MATCH (p:Probe) RETURN p.name AS name ORDER BY name")
    assert [r["name"] for r in rows] == ["other", hostile]


async def test_minio_put_get_one_mebibyte(platform: Platform) -> None:
    data = os.urandom(1024 * 1024)
    bucket = platform.buckets["documents"]
    stored = await platform.store.put(bucket, "probe/1mib.bin", data)
    assert stored.size == len(data)
    assert await platform.store.get(bucket, "probe/1mib.bin") == data
    await platform.store.delete(bucket, "probe/1mib.bin")
    assert not await platform.store.exists(bucket, "probe/1mib.bin")


async def test_archive_bucket_has_object_lock(platform: Platform) -> None:
    config = platform.store.client.get_object_lock_config(platform.buckets["archive"])
    assert config is not None

"""A GraphQL request's DataLoaders (and the rows they cached) are released when its response
is built, by reference counting: not left for the cycle collector, whose full collections
were the API's p95 tail under load."""

from __future__ import annotations

import gc

import httpx
from strawberry.dataloader import DataLoader

from asan.app import create_app
from asan.core.platform import Platform
from asan.core.settings import Settings
from asan.registry.catalog.sample import load_sample_registry

TREE = """query($code: String!) {
  stateBody(code: $code) { code services { code requiredDocuments { code } } }
  service(code: "DIN-002") { code provider { code } requiredDocuments { code } }
}"""


def _loaders() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, DataLoader))


async def test_request_loaders_are_freed_without_the_cycle_collector(
    settings: Settings, clean_platform: Platform
) -> None:
    await load_sample_registry(clean_platform)
    app = create_app(settings, clean_platform)
    app.state.platform = clean_platform
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        body = {"query": TREE, "variables": {"code": "DIN"}}
        first = await client.post("/graphql", json=body)  # warm: caches, lazy imports
        assert first.status_code == 200 and "errors" not in first.json()
        gc.collect()
        gc.disable()
        try:
            before = _loaders()
            for _ in range(5):
                answer = await client.post("/graphql", json=body)
                data = answer.json()["data"]
                assert data["stateBody"]["services"], data
                assert data["service"]["requiredDocuments"], data
            leaked = _loaders() - before
        finally:
            gc.enable()
    assert leaked == 0, f"{leaked} DataLoaders of finished requests still alive"

"""``settled``: a resolver answers at once only from a value its DataLoader already holds."""

from __future__ import annotations

import asyncio

from strawberry.dataloader import DataLoader

from asan.graphql.registry.loaders import settled


def test_settled_answers_only_values_already_held() -> None:
    async def scenario() -> None:
        calls: list[list[str]] = []

        async def load(keys: list[str]) -> list[object]:
            calls.append(keys)
            return [ValueError("bad") if k == "bad" else f"v-{k}" for k in keys]

        loader: DataLoader[str, object] = DataLoader(load_fn=load)
        assert settled(loader, "a") == (False, None)  # never asked for
        loader.prime("p", None)
        assert settled(loader, "p") == (True, None)  # primed as absent: a known answer
        pending = loader.load("a")
        assert settled(loader, "a") == (False, None)  # asked for, not loaded yet
        assert await pending == "v-a"
        assert settled(loader, "a") == (True, "v-a")
        failing = loader.load("bad")
        try:
            await failing
        except ValueError:
            pass
        assert settled(loader, "bad") == (False, None)  # an error goes the awaited way
        assert calls == [["a"], ["bad"]]
        uncached: DataLoader[str, object] = DataLoader(load_fn=load, cache=False)
        assert await uncached.load("c") == "v-c"
        assert settled(uncached, "c") == (False, None)

    asyncio.run(scenario())

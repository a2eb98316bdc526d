"""Per-request DataLoader accessors of the registry: one Cypher round trip per level.

Every read that resolvers repeat across parents (bodies, systems, services, ...) goes through
a named loader on the request context, so a nested query costs one query per level however
many parents it has; a service read brings its provider along and primes the state-body loader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from asan.core.platform import Platform
from asan.graphql.request import by_key, request_loader
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.registry.catalog import models as m
from asan.registry.catalog import queries

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


def keyed_loader(
    info: Info,
    name: str,
    fetch: Callable[[Platform, list[K]], Awaitable[dict[K, V]]],
    default: Callable[[], V | None] = lambda: None,
) -> DataLoader[K, V | None]:
    """The request's DataLoader ``name`` over a ``{key: value}`` fetch (one Cypher query)."""
    return request_loader(info, name, by_key(fetch, default))


def bodies_loader(info: Info) -> DataLoader[str, m.StateBody | None]:
    return keyed_loader(info, "catalog.bodies", queries.state_bodies_by_codes)


def systems_loader(info: Info) -> DataLoader[str, m.InformationSystem | None]:
    return keyed_loader(info, "catalog.systems", queries.information_systems_by_codes)


def prime_bodies(info: Info, bodies: dict[str, m.StateBody]) -> None:
    """Providers read with their services: a ``provider`` selection costs no round trip."""
    loader = bodies_loader(info)
    for code, body in bodies.items():
        loader.prime(code, body)


def services_loader(info: Info) -> DataLoader[str, m.Service | None]:
    principal = _principal(info)

    async def fetch(p: Platform, codes: list[str]) -> dict[str, m.Service]:
        services, providers = await queries.services_by_codes(p, principal, codes)
        prime_bodies(info, providers)
        return services

    return keyed_loader(info, "catalog.services", fetch)


def services_by_body_loader(info: Info) -> DataLoader[str, list[m.Service] | None]:
    principal = _principal(info)

    async def fetch(p: Platform, codes: list[str]) -> dict[str, list[m.Service]]:
        return await queries.services_by_body(p, principal, codes)

    return keyed_loader(info, "catalog.servicesByBody", fetch, list)


def requirements_loader(info: Info) -> DataLoader[str, list[m.Evidence] | None]:
    return keyed_loader(info, "catalog.requirements", queries.requirements_by_service, list)


def settled(loader: DataLoader[K, V], key: K) -> tuple[bool, V | None]:
    """``(True, value)`` when ``loader`` already holds ``key``'s value (primed, or loaded
    earlier in the request), else ``(False, None)``.

    A resolver that finds its value settled answers it at once instead of as a coroutine:
    graphql-core then completes the level without a task and a gather per parent, which was
    a large share of a primed tree's execution (one list per service).
    """
    future = loader.cache_map.get(key) if loader.cache else None
    if future is None or not future.done() or future.cancelled() or future.exception():
        return False, None
    return True, future.result()


def _selects(selections: Sequence[Selection], name: str, depth: int) -> bool:
    """Whether field ``name`` is selected here or up to ``depth`` field levels below
    (fragments are looked into at their own level)."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
            if depth > 0 and _selects(selection.selections, name, depth - 1):
                return True
        elif _selects(selection.selections, name, depth):
            return True
    return False


def _named(selections: Sequence[Selection], name: str) -> list[SelectedField]:
    """The fields ``name`` selected at this level, fragments included."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                found.append(selection)
        else:
            found += _named(selection.selections, name)
    return found


async def load_body(info: Info, code: str) -> m.StateBody | None:
    """A state body for a root field; its services and their documents in the same query
    when the selection asks for them (``stateBody { services { ... requiredDocuments } }``).

    The tree read primes the loaders the nested resolvers use (bodies, services by body,
    documents by service), so they answer from it: one round trip instead of one per level,
    with the same rows (``queries.body_trees`` answers as the per-level reads do).
    """
    bodies = bodies_loader(info)
    top = info.selected_fields[0].selections if info.selected_fields else []
    services = _named(top, "services")
    if not services:
        return await bodies.load(code)
    # documents may sit under the services list itself or under a connection's edges/node
    documents = any(_selects(s.selections, "requiredDocuments", 2) for s in services)
    trees = await queries.body_trees(_platform(info), _principal(info), [code], documents=documents)
    bodies.prime(code, trees.bodies.get(code))  # an unknown body is known to be absent
    services_by_body_loader(info).prime_many({c: trees.services.get(c, []) for c in trees.bodies})
    if documents:
        requirements_loader(info).prime_many(
            {
                s.code: trees.documents.get(s.code, [])
                for rows in trees.services.values()
                for s in rows
            }
        )
    return await bodies.load(code)


async def load_many(
    loader: DataLoader[str, V | None], codes: Sequence[str], wrap: Callable[[V], T]
) -> list[T]:
    found = await loader.load_many(list(codes))
    return [wrap(item) for item in found if item is not None]

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

from asan.core.platform import Platform
from asan.graphql.request import by_key, request_loader
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


async def load_many(
    loader: DataLoader[str, V | None], codes: Sequence[str], wrap: Callable[[V], T]
) -> list[T]:
    found = await loader.load_many(list(codes))
    return [wrap(item) for item in found if item is not None]

"""Per-request plumbing every domain's resolvers share: platform, caller, DataLoaders, paging.

Kept in one place so that each domain module holds only its types and thin resolvers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from graphql import GraphQLError
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.errors import BadInput, DomainError
from asan.core.platform import Platform
from asan.graphql.relay import PageRequest

K = TypeVar("K")
V = TypeVar("V")


def platform_of(info: Info[Any, Any]) -> Platform:
    platform: Platform = info.context.platform
    return platform


def principal_of(info: Info[Any, Any]) -> Principal:
    principal: Principal | None = info.context.principal
    return principal if principal is not None else ANONYMOUS


def request_loader(
    info: Info[Any, Any],
    name: str,
    batch: Callable[[Platform, list[K]], Awaitable[Sequence[V]]],
) -> DataLoader[K, V]:
    """The request's DataLoader ``name``: one ``batch`` call (one Cypher query) per level.

    ``batch`` answers a list of keys with one value per key, in key order.
    """
    platform = platform_of(info)

    def factory() -> DataLoader[K, V]:
        async def load(keys: list[K]) -> list[V]:
            return list(await batch(platform, keys))

        return DataLoader(load_fn=load)

    loader: DataLoader[K, V] = info.context.loader(name, factory)
    return loader


def by_key(
    fetch: Callable[[Platform, list[K]], Awaitable[Mapping[K, V]]],
    default: Callable[[], V | None] = lambda: None,
) -> Callable[[Platform, list[K]], Awaitable[list[V | None]]]:
    """Adapt a fetch that returns ``{key: value}`` (missing keys absent) to a batch function."""

    async def batch(platform: Platform, keys: list[K]) -> list[V | None]:
        found = await fetch(platform, keys)
        return [found.get(key, default()) for key in keys]

    return batch


def graphql_error(exc: DomainError) -> GraphQLError:
    return GraphQLError(exc.message, extensions={"code": exc.code, "field": exc.field})


def page(
    first: int | None,
    after: str | None,
    arity: int,
    *,
    last: int | None = None,
    before: str | None = None,
    scope: str = "",
) -> PageRequest:
    """Validated paging arguments; a bad ``first``/``last`` or a cursor that is malformed or
    from another list (``scope``) is a BAD_USER_INPUT error naming the argument."""
    try:
        return PageRequest.of(first, after, arity, last=last, before=before, scope=scope)
    except BadInput as exc:
        raise graphql_error(exc) from exc

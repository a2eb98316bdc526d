"""A hit's ``node``: the real object, read through its own GraphQL type's ``resolve_nodes``.

Those resolvers apply their type's read policy again (a document the index still lists but the
caller may no longer read comes back null). One per-request DataLoader groups a page's hits
by kind, so a page costs one read per kind, not one per hit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from asan.graphql.archive.types import CaseType
from asan.graphql.edms.document_types import DocumentNode
from asan.graphql.org import ClauseNode, OrgUnitNode
from asan.graphql.registry.nodes import InformationSystemNode, ServiceNode, StateBodyNode

NODE_TYPES: dict[str, Any] = {
    "service": ServiceNode,
    "state_body": StateBodyNode,
    "information_system": InformationSystemNode,
    "org_unit": OrgUnitNode,
    "clause": ClauseNode,
    "document": DocumentNode,
    "case": CaseType,
}

Key = tuple[str, str]


def _loader(info: Info[Any, Any]) -> DataLoader[Key, relay.Node | None]:
    async def load(keys: list[Key]) -> list[relay.Node | None]:
        ids: dict[str, list[str]] = defaultdict(list)
        for kind, id_ in keys:
            if kind in NODE_TYPES and id_ not in ids[kind]:
                ids[kind].append(id_)
        found: dict[Key, relay.Node | None] = {}
        for kind, wanted in ids.items():
            nodes = await NODE_TYPES[kind].resolve_nodes(info=info, node_ids=wanted)
            found.update({(kind, i): n for i, n in zip(wanted, nodes, strict=False)})
        return [found.get(key) for key in keys]

    loader: DataLoader[Key, relay.Node | None] = info.context.loader(
        "search.nodes", lambda: DataLoader(load_fn=load)
    )
    return loader


async def load_node(info: Info[Any, Any], kind: str, id_: str) -> relay.Node | None:
    return await _loader(info).load((kind, id_))

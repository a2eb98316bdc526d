"""Measures of a GraphQL document computed in time linear in its size, fragments included.

A fragment spread twice in each of 30 nested fragments stands for 2**30 fields; expanding it
(as graphql-core's validation and strawberry's depth and alias limiters do) freezes the
server. Here every fragment is measured once and remembered, so a spread costs a dictionary
look-up and a multiplication, and numbers saturate at ``SATURATED`` instead of growing
without bound. The one walk that does expand (``repeated_path``) runs only once the expanded
size is known to be under the limit, so its work is bounded by that limit.

Cost: each field costs 1 (plus its surcharge in ``limits.FIELD_SURCHARGES``, for a field whose
own work outweighs a row: a full-text search); a field taking ``first``/``last`` multiplies
the cost of its selection (a connection's ``edges``/``nodes`` only: its other fields are
answered once per page) by the page asked (a connection's page is at most ``MAX_PAGE``: the
resolvers refuse more), an unpaged list by its declared bound (``asan/graphql/limits.py``).
List nesting is the number of such multiplying levels on one path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from asan.graphql.limits import DEFAULT_PAGE, MAX_PAGE, field_surcharge, list_bound

SATURATED = 10**15


def _cap(value: int) -> int:
    return value if value < SATURATED else SATURATED


@dataclass(frozen=True)
class Shape:
    """Variable-independent measures of a selection set after fragment expansion."""

    fields: int = 0
    aliases: int = 0
    depth: int = 0  # nested field levels, as strawberry's QueryDepthLimiter counts them


@dataclass(frozen=True)
class Measure:
    fields: int  # every operation and fragment definition, expanded
    aliases: int  # every operation, expanded
    depth: int  # deepest operation
    cost: int  # the operation to execute
    list_nesting: int  # the operation to execute


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _int_arg(field: FieldNode, name: str, variables: Mapping[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            raw = variables.get(value.name.value)
            return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    return None


def _is_connection(named: GraphQLNamedType | None) -> bool:
    fields = getattr(named, "fields", None) or {}
    return "edges" in fields and "pageInfo" in fields


class _ShapeWalker:
    """Fields, aliases and depth; each fragment measured once (cycles count as empty)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[str, Shape] = {}
        self.active: set[str] = set()

    def fragment(self, name: str) -> Shape:
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return Shape()
        self.active.add(name)
        shape = self.selection(definition.selection_set)
        self.active.discard(name)
        self.memo[name] = shape
        return shape

    def selection(self, selection_set: SelectionSetNode) -> Shape:
        fields = aliases = depth = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                child = self.selection(node.selection_set) if node.selection_set else Shape()
                fields += 1 + child.fields
                aliases += (1 if node.alias else 0) + child.aliases
                if node.selection_set and not node.name.value.startswith("__"):
                    depth = max(depth, 1 + child.depth)
                continue
            if isinstance(node, InlineFragmentNode):
                inner = self.selection(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                inner = self.fragment(node.name.value)
            else:  # pragma: no cover - graphql-core has no other selection kind
                continue
            fields += inner.fields
            aliases += inner.aliases
            depth = max(depth, inner.depth)
        return Shape(_cap(fields), _cap(aliases), depth)


class _CostWalker:
    """Cost and list nesting of one operation; each fragment costed once per request."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[str, tuple[int, int]] = {}
        self.active: set[str] = set()

    def fragment(self, name: str) -> tuple[int, int]:
        known = self.memo.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return 0, 0
        self.active.add(name)
        typed = self.schema.get_type(definition.type_condition.name.value)
        measured = self.selection(definition.selection_set, typed)
        self.active.discard(name)
        self.memo[name] = measured
        return measured

    def selection(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> tuple[int, int]:
        cost = nesting = 0
        for node in selection_set.selections:
            inner = self.one(node, parent)
            cost = _cap(cost + inner[0])
            nesting = max(nesting, inner[1])
        return cost, nesting

    def one(self, node: Any, parent: GraphQLNamedType | None) -> tuple[int, int]:
        if isinstance(node, FieldNode):
            return self.field(node, parent)
        if isinstance(node, InlineFragmentNode):
            typed = (
                self.schema.get_type(node.type_condition.name.value)
                if node.type_condition
                else parent
            )
            return self.selection(node.selection_set, typed)
        if isinstance(node, FragmentSpreadNode):
            return self.fragment(node.name.value)
        return 0, 0  # pragma: no cover

    def connection(
        self, selection_set: SelectionSetNode, named: GraphQLNamedType, page: int
    ) -> tuple[int, int]:
        """A connection's fields: ``edges``/``nodes`` once per row of the page, the others
        (``totalCount``, ``pageInfo``, a search's ``facets``) once per connection; fragments
        on the connection are counted per row (an over-estimate, never an under-estimate)."""
        cost = nesting = 0
        for node in selection_set.selections:
            inner_cost, inner_nesting = self.one(node, named)
            if isinstance(node, FieldNode) and node.name.value not in ("edges", "nodes"):
                cost = _cap(cost + inner_cost)
                nesting = max(nesting, inner_nesting)
            else:
                cost = _cap(cost + page * inner_cost)
                nesting = max(nesting, inner_nesting + 1)
        return cost, nesting

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> tuple[int, int]:
        fields: Mapping[str, GraphQLField] = getattr(parent, "fields", None) or {}
        definition = fields.get(node.name.value)
        if definition is None or node.selection_set is None:
            return 1, 0
        named = get_named_type(definition.type)
        multiplier, is_list = self.multiplier(node, definition, parent, named)
        own = 1 + field_surcharge(getattr(parent, "name", ""), node.name.value)
        if is_list and _is_connection(named):
            cost, nesting = self.connection(node.selection_set, named, multiplier)
            return _cap(own + cost), nesting
        child_cost, child_nesting = self.selection(node.selection_set, named)
        return _cap(own + multiplier * child_cost), child_nesting + (1 if is_list else 0)

    def multiplier(
        self,
        node: FieldNode,
        definition: GraphQLField,
        parent: GraphQLNamedType | None,
        named: GraphQLNamedType,
    ) -> tuple[int, bool]:
        """How many times the field's selection is answered, and whether it is a list level."""
        if "first" in definition.args or "last" in definition.args:
            asked = _int_arg(node, "first", self.variables)
            if asked is None:
                asked = _int_arg(node, "last", self.variables)
            if asked is None:
                declared = definition.args.get("first")
                default = declared.default_value if declared is not None else None
                asked = default if isinstance(default, int) else DEFAULT_PAGE
            if _is_connection(named):
                asked = min(asked, MAX_PAGE)
            return max(1, asked), True
        if not is_list_type(get_nullable_type(definition.type)):
            return 1, False
        if _is_connection(parent) and node.name.value in ("edges", "nodes"):
            return 1, False  # the connection's page already multiplied
        return max(1, list_bound(getattr(parent, "name", ""), node.name.value)), True


def _selected(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = _operations(document)
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return operations[0] if len(operations) == 1 else None


def document_shape(document: DocumentNode) -> Shape:
    """Expanded fields of every definition, aliases of the operations, the deepest operation."""
    fragments = _fragments(document)
    shapes = _ShapeWalker(fragments)
    operation_shapes = [shapes.selection(o.selection_set) for o in _operations(document)]
    fields = sum(s.fields for s in operation_shapes) + sum(
        shapes.fragment(name).fields for name in fragments
    )
    return Shape(
        fields=_cap(fields),
        aliases=_cap(sum(s.aliases for s in operation_shapes)),
        depth=max((s.depth for s in operation_shapes), default=0),
    )


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> tuple[int, int]:
    """Cost and list nesting of the operation that would execute (0, 0 if none is chosen)."""
    operation = _selected(document, operation_name)
    if operation is None:
        return 0, 0
    walker = _CostWalker(schema, _fragments(document), variables or {})
    return walker.selection(operation.selection_set, schema.get_root_type(operation.operation))


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> Measure:
    """Every measure the edge limits need, in one linear pass per kind."""
    shape = document_shape(document)
    cost, nesting = operation_cost(schema, document, operation_name, variables)
    return Measure(shape.fields, shape.aliases, shape.depth, cost, nesting)


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    return measure(schema, document, operation_name, variables).cost


def repeated_path(document: DocumentNode, limit: int) -> tuple[str, int] | None:
    """The first response path selected by more than ``limit`` fields, with its count.

    Validation compares the fields sharing a response path pairwise, so their number must be
    small. This walk expands fragments: call it only once ``measure`` found the expanded size
    bounded; its work is at most that size.
    """
    fragments = _fragments(document)
    counts: dict[tuple[str, ...], int] = {}

    def walk(selection_set: SelectionSetNode, prefix: tuple[str, ...], active: set[str]) -> int:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                path = (*prefix, node.alias.value if node.alias else node.name.value)
                seen = counts.get(path, 0) + 1
                counts[path] = seen
                if seen > limit:
                    raise _Repeated(path, seen)
                if node.selection_set:
                    walk(node.selection_set, path, active)
            elif isinstance(node, InlineFragmentNode):
                walk(node.selection_set, prefix, active)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                definition = fragments.get(name)
                if definition is not None and name not in active:
                    walk(definition.selection_set, prefix, active | {name})
        return 0

    try:
        for index, definition in enumerate(document.definitions):
            if isinstance(definition, OperationDefinitionNode):
                walk(definition.selection_set, (f"#{index}",), set())
            elif isinstance(definition, FragmentDefinitionNode):
                name = definition.name.value
                walk(definition.selection_set, (f"#{index}",), {name})
    except _Repeated as found:
        return ".".join(found.path[1:]), found.count
    return None


class _Repeated(Exception):
    def __init__(self, path: tuple[str, ...], count: int) -> None:
        super().__init__(path)
        self.path = path
        self.count = count

"""A cheaper way through the executor for plain leaf fields (``code``, ``nameAz``, ...).

Most fields of a nested read are dataclass attributes holding a string, number or enum: the
DIN tree selects about 200 of them per request. graphql-core builds a resolve-info object, a
path and a completion chain for each, and strawberry adds two wrapper calls, to end up doing
``getattr`` and the scalar's ``coerce_output_value``. That bookkeeping was a third of the
tree's GraphQL CPU. Here such a field (strawberry's default resolver, no arguments, no
middleware, a scalar or enum type) is answered by those two calls directly.

Only the successful, ordinary case takes the short path: a null in a non-null field, a value
the scalar refuses, an exception or an awaitable go through graphql-core's own
``execute_field`` again (reading a plain attribute twice is harmless), so errors, their paths
and their messages are exactly graphql-core's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import GraphQLField, GraphQLObjectType, is_leaf_type, is_non_null_type
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# values no scalar treats specially: neither an exception nor an awaitable
PLAIN = frozenset({str, int, float, bool})


class LeafPlan(NamedTuple):
    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool


# per object type: field name -> its plan, or None when it takes graphql-core's path
_plans: WeakKeyDictionary[GraphQLObjectType, dict[str, LeafPlan | None]] = WeakKeyDictionary()


def leaf_plan(field: GraphQLField | None) -> LeafPlan | None:
    """How to answer ``field`` directly, or None when it is not a plain attribute leaf."""
    if field is None or field.args or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr:
        return None
    field_type: Any = field.type
    non_null = is_non_null_type(field_type)
    named = field_type.of_type if non_null else field_type
    if not is_leaf_type(named):
        return None
    return LeafPlan(definition.python_name, named.coerce_output_value, non_null)


def _plans_of(parent_type: GraphQLObjectType) -> dict[str, LeafPlan | None]:
    plans = _plans.get(parent_type)
    if plans is None:
        plans = {name: leaf_plan(field) for name, field in parent_type.fields.items()}
        _plans[parent_type] = plans
    return plans


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution with the short path for plain leaf fields."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        manager = self.middleware_manager
        if manager is not None and manager.middlewares:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = _plans_of(parent_type)
        short: dict[str, Any] = {}
        rest: GroupedFieldSet = {}
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            plan = None if node.arguments else plans.get(node.name.value)
            value = _leaf(plan, source_value, self.is_awaitable) if plan else Undefined
            if value is Undefined:
                rest[response_name] = details
            else:
                short[response_name] = value
        if not short:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        if not rest:
            return short
        rested = super().execute_fields(parent_type, source_value, path, rest, position_context)
        order = list(grouped_field_set)
        if self.is_awaitable(rested):

            async def merged() -> dict[str, Any]:
                return _in_order(order, short, await rested)

            return merged()
        return _in_order(order, short, rested)  # type: ignore[arg-type]


def _leaf(plan: LeafPlan, source: Any, is_awaitable: Callable[[Any], bool]) -> Any:
    """The field's coerced value, or Undefined to take graphql-core's path."""
    try:
        value = getattr(source, plan.attribute)
    except Exception:  # graphql-core's path reports it
        return Undefined
    if value is None:
        return Undefined if plan.non_null else None
    if type(value) not in PLAIN and (isinstance(value, Exception) or is_awaitable(value)):
        return Undefined
    try:
        coerced = plan.coerce(value)
    except Exception:  # graphql-core's path reports it
        return Undefined
    return Undefined if coerced is None or coerced is Undefined else coerced


def _in_order(order: list[str], short: dict[str, Any], rest: dict[str, Any]) -> dict[str, Any]:
    """The response keys in selection order, as graphql-core would have produced them."""
    return {
        name: short[name] if name in short else rest[name]
        for name in order
        if name in short or name in rest
    }

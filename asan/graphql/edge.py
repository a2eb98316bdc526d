"""The GraphQL edge: per-request cost limit, introspection gate, error codes and masking.

Every error leaves with ``extensions.code``: a DomainError's own code (UNAUTHENTICATED,
FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, RATE_LIMITED, ...), GRAPHQL_PARSE_FAILED /
GRAPHQL_VALIDATION_FAILED for a malformed or invalid document, QUERY_TOO_COMPLEX for one over
the cost limit, and INTERNAL_SERVER_ERROR for anything else, whose message is masked in
production (strawberry logs the original before masking).

Cost is estimated from the AST before execution: each field costs 1, and a field taking
``first`` multiplies the cost of its selection by the page size asked (20 when omitted); other
list fields multiply by ``DEFAULT_LIST_SIZE``. So a harmless-looking nested query that asks for
100 x 100 x 100 rows is refused before any resolver runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    validate,
)
from graphql.language import DocumentNode, OperationDefinitionNode
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaskErrors, SchemaExtension

from asan.core.errors import DomainError, RateLimited, ValidationFailed
from asan.core.settings import Settings

DEFAULT_PAGE = 20
DEFAULT_LIST_SIZE = 10
DEFAULT_MAX_COST = 20000
MASKED_MESSAGE = "Gözlənilməz xəta / Unexpected error."


def _settings(context: Any) -> Settings | None:
    platform = getattr(context, "platform", None)
    settings = getattr(platform, "settings", None)
    return settings if isinstance(settings, Settings) else None


def introspection_allowed(settings: Settings | None) -> bool:
    if settings is None:
        return True
    if settings.graphql_introspection is not None:
        return settings.graphql_introspection
    return not settings.is_production


# --- cost ------------------------------------------------------------------------------------


def _int_arg(field: FieldNode, name: str, variables: Mapping[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            raw = variables.get(value.name.value)
            return raw if isinstance(raw, int) else None
    return None


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selection_cost(self, selections: SelectionSetNode, parent: GraphQLNamedType | None) -> int:
        total = 0
        for node in selections.selections:
            if isinstance(node, FieldNode):
                total += self.field_cost(node, parent)
            elif isinstance(node, InlineFragmentNode):
                typed = (
                    self.schema.get_type(node.type_condition.name.value)
                    if node.type_condition
                    else parent
                )
                total += self.selection_cost(node.selection_set, typed)
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                if fragment is not None:
                    typed = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selection_cost(fragment.selection_set, typed)
        return total

    def field_cost(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        fields = getattr(parent, "fields", None) or {}
        definition = fields.get(node.name.value)
        if definition is None or node.selection_set is None:
            return 1
        if "first" in definition.args or "last" in definition.args:
            asked = _int_arg(node, "first", self.variables) or _int_arg(
                node, "last", self.variables
            )
            multiplier = max(1, asked if asked is not None else DEFAULT_PAGE)
        elif is_list_type(get_nullable_type(definition.type)) and node.name.value not in (
            "edges",
            "nodes",
        ):
            multiplier = DEFAULT_LIST_SIZE
        else:
            multiplier = 1
        child = self.selection_cost(node.selection_set, get_named_type(definition.type))
        return 1 + multiplier * child


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if not operations:
        return 0
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    walker = _CostWalker(schema, fragments, variables or {})
    return walker.selection_cost(operation.selection_set, root)


class EdgeGuard(SchemaExtension):
    """Refuses, before execution, introspection where it is off and queries over the cost."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        settings = _settings(ctx.context)
        document = ctx.graphql_document
        schema = ctx.schema._schema
        if document is not None and ctx.result is None:
            error = self._refusal(settings, schema, document)
            if error is not None:
                ctx.result = ExecutionResult(data=None, errors=[error])
        yield

    def _refusal(
        self, settings: Settings | None, schema: GraphQLSchema, document: DocumentNode
    ) -> GraphQLError | None:
        ctx = self.execution_context
        if not introspection_allowed(settings):
            errors = validate(schema, document, [NoSchemaIntrospectionCustomRule])
            if errors:
                return GraphQLError(
                    "introspeksiya bağlıdır / introspection is disabled",
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
        limit = settings.graphql_max_cost if settings else DEFAULT_MAX_COST
        cost = estimate_cost(schema, document, ctx.operation_name, ctx.variables)
        if cost > limit:
            return GraphQLError(
                f"sorğu çox bahalıdır ({cost} > {limit}) / query too costly ({cost} > {limit})",
                extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "maxCost": limit},
            )
        return None


# --- error codes and masking ----------------------------------------------------------------


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code
    if isinstance(original, ValidationFailed):
        return "BAD_USER_INPUT"
    existing = (error.extensions or {}).get("code")
    if isinstance(existing, str):
        return existing
    if original is None and not error.path:
        if error.message.startswith("Syntax Error") or "tokens" in error.message:
            return "GRAPHQL_PARSE_FAILED"
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


class ErrorCodes(MaskErrors):
    """Adds extensions.code to every error; masks internal errors in production."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._should_mask, error_message=MASKED_MESSAGE)
        self._production = False

    def _should_mask(self, error: GraphQLError) -> bool:
        return self._production and error_code(error) == "INTERNAL_SERVER_ERROR"

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        for error in errors:
            extensions = dict(error.extensions or {})
            extensions["code"] = error_code(error)
            original = error.original_error
            if isinstance(original, RateLimited):
                extensions["retryAfter"] = original.retry_after
            if isinstance(original, DomainError) and original.field:
                extensions["field"] = original.field
            error.extensions = extensions
        return super()._process_errors(errors)

    def on_operation(self) -> Iterator[None]:
        settings = _settings(self.execution_context.context)
        self._production = bool(settings and settings.is_production)
        try:
            yield
        except GraphQLError as error:  # raised by a parse hook (ParserCache): leaves as it is
            error.extensions = {**(error.extensions or {}), "code": error_code(error)}
            raise
        # every result kind, pre-execution errors (parse, validation, limits) included
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[union-attr]


EXTENSIONS: list[type[SchemaExtension]] = [EdgeGuard, ErrorCodes]

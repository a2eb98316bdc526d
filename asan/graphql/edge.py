"""The GraphQL edge: introspection gate, error codes and masking.

Every error leaves with ``extensions.code``: a DomainError's own code (UNAUTHENTICATED,
FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, RATE_LIMITED, ...), GRAPHQL_PARSE_FAILED /
GRAPHQL_VALIDATION_FAILED for a malformed or invalid document, QUERY_TOO_COMPLEX for one over
the size or cost limits (``asan/graphql/guard.py``, measured by ``asan/graphql/cost.py``), and
INTERNAL_SERVER_ERROR for anything else, whose message is masked in production (strawberry
logs the original before masking). In production "Did you mean ...?" suggestions are cut from
every message too (variable coercion adds them during execution, where validation's switch
does not reach), so field names cannot be guessed one typo at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, GraphQLSchema, validate
from graphql.language import DocumentNode, FieldNode
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from asan.core.errors import DomainError, RateLimited, ValidationFailed
from asan.core.settings import Settings
from asan.graphql.cost import estimate_cost

__all__ = ["EXTENSIONS", "EdgeGuard", "ErrorCodes", "error_code", "estimate_cost"]

MASKED_MESSAGE = "Gözlənilməz xəta / Unexpected error."
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?", re.DOTALL)
# graphql-core's messages for a variable that does not coerce: the variable, then the path
# inside it (``at .channels[0]``), then what is wrong (a missing or unknown input field names
# one more step). Parsed once here so a client gets the path as data, not prose.
VARIABLE_PROBLEM = re.compile(
    r"^Variable '\$(?P<name>[_A-Za-z][_0-9A-Za-z]*)' has invalid (?:default )?value"
    r"(?: at (?P<path>(?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])+))?: (?P<rest>.*)$",
    re.DOTALL,
)
PATH_STEP = re.compile(r"\.([_A-Za-z][_0-9A-Za-z]*)|\[(\d+)\]")
NAMED_FIELD = re.compile(r"to include (?:required|unknown) field '([_A-Za-z][_0-9A-Za-z]*)'")


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


class EdgeGuard(SchemaExtension):
    """Refuses, before execution, introspection where it is off.

    The size, depth, alias and cost limits run earlier, before validation
    (``asan/graphql/guard.py``).
    """

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
        if not introspection_allowed(settings):
            errors = validate(schema, document, [NoSchemaIntrospectionCustomRule])
            if errors:
                return GraphQLError(
                    "introspeksiya bağlıdır / introspection is disabled",
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
        return None


# --- error codes and masking ----------------------------------------------------------------


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code  # SERVICE_UNAVAILABLE for an outage: the app answers 503
    if isinstance(original, (ValidationFailed, GlobalIDValueError)):
        return "BAD_USER_INPUT"  # a malformed global id (node(id: "")) is the caller's input
    existing = (error.extensions or {}).get("code")
    if isinstance(existing, str):
        return existing
    if not error.path and (
        error.message.startswith("Variable '$") or isinstance(original, GraphQLError)
    ):
        # a variable that does not coerce (wrong type, missing required field, unknown enum
        # value, a scalar's parse_value refusing it): the caller's input, not a server fault
        return "BAD_USER_INPUT"
    if original is None and not error.path:
        if error.message.startswith("Syntax Error") or "tokens" in error.message:
            return "GRAPHQL_PARSE_FAILED"
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


def variable_path(message: str) -> list[str | int] | None:
    """The path of the bad value (``["input", "channels", 0]``) in a variable coercion error."""
    found = VARIABLE_PROBLEM.match(message)
    if found is None:
        return None
    path: list[str | int] = [found.group("name")]
    for name, index in PATH_STEP.findall(found.group("path") or ""):
        path.append(name if name else int(index))
    named = NAMED_FIELD.search(found.group("rest"))
    if named is not None:
        path.append(named.group(1))
    return path


def _id_argument(error: GraphQLError) -> str | None:
    """The argument holding a malformed global id (``id`` of ``node``, ``ids`` of ``nodes``)."""
    for node in error.nodes or ():
        if isinstance(node, FieldNode):
            names = [a.name.value for a in node.arguments or () if a.name.value in ("id", "ids")]
            if len(names) == 1:
                return names[0]
    return None


def dotted(path: list[str | int]) -> str:
    """``$input.channels[0]``: the form InputGuard and userErrors name fields in."""
    head, *rest = path
    return f"${head}" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)


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
            if isinstance(original, GlobalIDValueError):
                argument = _id_argument(error)
                if argument is not None:
                    extensions["field"] = argument
            bad_value = variable_path(error.message) if not error.path else None
            if bad_value is not None:
                extensions["field"] = dotted(bad_value)
                extensions["variable"] = bad_value[0]
                extensions["inputPath"] = bad_value[1:]
            error.extensions = extensions
            if self._production and "Did you mean" in error.message:
                error.message = SUGGESTION.sub("", error.message)
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

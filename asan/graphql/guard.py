"""Parse, limit and validate a GraphQL document so that no document can stall the server.

Order matters. Parsing stops at ``MAX_TOKENS``. Then the linear measures of
``asan/graphql/cost.py`` run: the expanded size, depth, aliases, repeated response paths,
list nesting and cost. Only a document within every limit reaches graphql-core's validation,
whose OverlappingFieldsCanBeMerged rule (like strawberry's depth and alias limiters, which
this replaces) expands fragments and compares fields pairwise: a 900-byte fragment bomb
kept it busy for 45 s. Within the limits validation is bounded; a large document is still
validated in a worker thread so the event loop keeps serving other requests, and results
are cached by query text.

In production validation hides "Did you mean ...?" suggestions, which would otherwise let a
caller rebuild the schema with introspection off.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping
from threading import Lock
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from asan.core.settings import Settings
from asan.graphql import limits
from asan.graphql.cost import Shape, document_shape, operation_cost, repeated_path

DEFAULT_MAX_COST = 20000
CACHE_SIZE = 512
# Work on a document larger than these runs in a worker thread, off the event loop: parsing
# 4,000 tokens or validating 2,000 fields takes tens of milliseconds.
THREAD_ABOVE_CHARS = 2000
THREAD_ABOVE_FIELDS = 150

STRAWBERRY_RULES: tuple[type[ASTValidationRule], ...] = (
    MaybeNullValidationRule,
    OneOfInputValidationRule,
)


class _Cache:
    """A small thread-safe LRU (validation results are computed in worker threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_documents = _Cache(CACHE_SIZE)
_validations = _Cache(CACHE_SIZE)
# Documents within every limit: the measures depend on the document and on the few variables
# the cost reads (``first``/``last``), so a repeated query is measured once per such values.
_measured = _Cache(CACHE_SIZE)
_MISSING = object()


class _Reads(Mapping[str, Any]):
    """The variables, remembering which ones a measure read (and what it found)."""

    def __init__(self, variables: Mapping[str, Any]) -> None:
        self._variables = variables
        self.read: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        found = self.read[key] = self._variables.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        self.read.update(self._variables)
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)


def _small(value: Any) -> bool:
    return value is None or value is _MISSING or type(value) in (int, bool)


def _settings(context: Any) -> Settings | None:
    platform = getattr(context, "platform", None)
    settings = getattr(platform, "settings", None)
    return settings if isinstance(settings, Settings) else None


def parse_document(query: str) -> DocumentNode:
    """Parse within the token limit; a document nested past the parser's recursion is refused."""
    cached: DocumentNode | None = _documents.get(query)
    if cached is not None:
        return cached
    try:
        document = parse(query, max_tokens=limits.MAX_TOKENS)
    except RecursionError:
        raise GraphQLError(
            "sorğu çox dərin iç-içədir / query is nested too deeply",
            extensions={"code": "GRAPHQL_PARSE_FAILED"},
        ) from None
    _documents.put(query, document)
    return document


def _too_complex(message_az: str, message_en: str, **details: int | str) -> GraphQLError:
    return GraphQLError(
        f"{message_az} / {message_en}", extensions={"code": "QUERY_TOO_COMPLEX", **details}
    )


def _invalid(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "GRAPHQL_VALIDATION_FAILED"})


def refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    max_cost: int,
) -> tuple[Shape, GraphQLError | None]:
    """The document's shape and the first limit it breaks, cheapest checks first."""
    measured = document_shape(document)
    return measured, _shape_refusal(measured, document) or _cost_refusal(
        schema, document, operation_name, variables, max_cost
    )


def _shape_refusal(measured: Shape, document: DocumentNode) -> GraphQLError | None:
    if measured.fields > limits.MAX_FIELDS:
        n, limit = measured.fields, limits.MAX_FIELDS
        return _too_complex(
            f"fraqmentlər açıldıqda sorğuda {n} sahə var (həddi {limit})",
            f"query has {n} fields once fragments are expanded (limit {limit})",
            fields=n,
            maxFields=limit,
        )
    if measured.depth > limits.MAX_DEPTH:
        return _invalid(
            f"sorğunun dərinliyi {limits.MAX_DEPTH} həddini aşır / "
            f"query exceeds maximum operation depth of {limits.MAX_DEPTH}"
        )
    if measured.aliases > limits.MAX_ALIASES:
        return _invalid(
            f"{measured.aliases} ləqəb var, icazə verilən {limits.MAX_ALIASES} / "
            f"{measured.aliases} aliases found. Allowed: {limits.MAX_ALIASES}"
        )
    repeated = repeated_path(document, limits.MAX_REPEATS)
    if repeated is not None:
        path, count = repeated
        return _too_complex(
            f"'{path}' cavab sahəsi {count} dəfə seçilib (həddi {limits.MAX_REPEATS})",
            f"response path '{path}' is selected {count} times (limit {limits.MAX_REPEATS})",
            maxRepeats=limits.MAX_REPEATS,
        )
    return None


def _cost_refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    max_cost: int,
) -> GraphQLError | None:
    cost, nesting = operation_cost(schema, document, operation_name, variables)
    if nesting > limits.MAX_LIST_NESTING:
        n, limit = nesting, limits.MAX_LIST_NESTING
        return _too_complex(
            f"sorğuda {n} iç-içə siyahı var (həddi {limit})",
            f"query nests {n} lists (limit {limit})",
            listNesting=n,
            maxListNesting=limit,
        )
    if cost > max_cost:
        return _too_complex(
            f"sorğu çox bahalıdır ({cost} > {max_cost})",
            f"query too costly ({cost} > {max_cost})",
            cost=cost,
            maxCost=max_cost,
        )
    return None


def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    return validate(
        schema, document, (*rules, *STRAWBERRY_RULES), hide_suggestions=hide_suggestions
    )


def _measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    max_cost: int,
    query: str | None = None,
) -> tuple[Shape | None, GraphQLError | None]:
    """``refusal``, remembered for a document found within the limits.

    The remembered answer is keyed by the query text and the values of the variables the
    measures read last time; the measures are deterministic, so with the same values they would
    read the same variables and answer the same. Refusals are not remembered (their errors are
    per request).
    """
    values = variables or {}
    names = _measured.get((schema, query, operation_name, max_cost)) if query else None
    if names is not None:
        seen = tuple(values.get(n, _MISSING) for n in names)
        if all(_small(v) for v in seen):
            remembered: Shape | None = _measured.get(
                (schema, query, operation_name, max_cost, seen)
            )
            if remembered is not None:
                return remembered, None
    reads = _Reads(values)
    try:
        measured, refused = refusal(schema, document, operation_name, reads, max_cost)
    except RecursionError:  # a chain of fragments deeper than the interpreter's stack
        return None, _too_complex(
            "fraqmentlər çox dərin iç-içədir", "fragments are nested too deeply"
        )
    if query and refused is None and all(_small(v) for v in reads.read.values()):
        names = tuple(sorted(reads.read))
        _measured.put((schema, query, operation_name, max_cost), names)
        read = tuple(reads.read[n] for n in names)
        _measured.put((schema, query, operation_name, max_cost, read), measured)
    return measured, refused


class QueryGuard(SchemaExtension):
    """Replaces ParserCache, ValidationCache, MaxTokensLimiter and the depth/alias limiters."""

    async def on_parse(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        query = ctx.query
        if ctx.graphql_document is None and query:
            cached: DocumentNode | None = _documents.get(query)
            if cached is None and len(query) > THREAD_ABOVE_CHARS:
                cached = await asyncio.to_thread(parse_document, query)
            ctx.graphql_document = cached or parse_document(query)
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx.pre_execution_errors is None:
            ctx.pre_execution_errors = await self._check(document)
        yield

    async def _check(self, document: DocumentNode) -> list[GraphQLError]:
        ctx = self.execution_context
        settings = _settings(ctx.context)
        schema = ctx.schema._schema
        max_cost = settings.graphql_max_cost if settings else DEFAULT_MAX_COST
        big = len(ctx.query or "") > THREAD_ABOVE_CHARS
        args = (schema, document, ctx.operation_name, ctx.variables, max_cost, ctx.query)
        if big:
            measured, refused = await asyncio.to_thread(_measure, *args)
        else:
            measured, refused = _measure(*args)
        if refused is not None or measured is None:
            return [refused] if refused is not None else []
        hide = bool(settings and settings.is_production)
        rules = tuple(ctx.validation_rules)
        key = (schema, ctx.query, rules, hide) if ctx.query else None
        cached: list[GraphQLError] | None = _validations.get(key) if key else None
        if cached is not None:
            return cached
        if big or measured.fields > THREAD_ABOVE_FIELDS:
            errors = await asyncio.to_thread(_validate, schema, document, rules, hide)
        else:
            errors = _validate(schema, document, rules, hide)
        if key:
            _validations.put(key, errors)
        return errors

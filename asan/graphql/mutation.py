"""The one way a GraphQL mutation calls its use case and maps the errors to its payload.

Problems a person can fix travel in the payload's ``userErrors``: ``ValidationFailed`` (each
field), and field-level domain errors (BAD_USER_INPUT, CONFLICT, INVALID_TRANSITION, a
referenced entity NOT_FOUND, ...). Refusals and outages are not the input's fault and travel
as GraphQL errors: Forbidden, Unauthenticated, RateLimited and ServiceUnavailable are re-raised
unchanged, so the edge (``asan.graphql.edge``) gives them their code, ``retryAfter`` and, for an
outage, the HTTP 503. (Sign-in, refresh and logout have no ``userErrors``: their errors
are all GraphQL errors, mapped by the edge, so they need nothing from here.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from asan.core.errors import (
    DomainError,
    Forbidden,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
    ValidationFailed,
)
from asan.graphql.errors import UserError

T = TypeVar("T")

# The description of every input's ``clientMutationId`` (the pipeline's idempotency key).
CLIENT_MUTATION_ID = (
    "Optional id chosen by the client for this request: repeating a request with the same "
    "id (same caller) returns the first result and changes nothing again (idempotency)."
)

# Errors that are never the input's fault: GraphQL errors with their code, never userErrors.
NOT_USER_ERRORS: tuple[type[DomainError], ...] = (
    Forbidden,
    Unauthenticated,
    RateLimited,
    ServiceUnavailable,
)


async def attempt(
    call: Callable[[], Awaitable[T]], *, default_field: str | None = None
) -> tuple[T | None, list[UserError]]:
    """Run a use case: ``(result, [])``, or ``(None, userErrors)`` for input problems.

    ``default_field`` names the field of a domain error that names none (``"input"`` in the
    auth payloads, whose clients expect a field on every error).
    """
    try:
        return await call(), []
    except ValidationFailed as exc:
        return None, [UserError.of(e) for e in exc.errors]
    except NOT_USER_ERRORS:
        raise
    except DomainError as exc:
        return None, [
            UserError(field=exc.field or default_field, message=exc.message, code=exc.code)
        ]

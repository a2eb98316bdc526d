"""Domain errors with stable codes; the GraphQL edge maps them to error codes or userErrors.

Messages are bilingual (Azerbaijani / English) because clerks and IT staff both read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class BadInput(DomainError):
    code = "BAD_USER_INPUT"


class Conflict(DomainError):
    code = "CONFLICT"


class InvalidTransition(DomainError):
    code = "INVALID_TRANSITION"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """A backing service (neo4j, minio) is down or unreachable: the client may retry later."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, service: str, *, retry_after: float = 5.0) -> None:
        super().__init__(
            f"xidmət müvəqqəti əlçatan deyil ({service}) / "
            f"service temporarily unavailable ({service})"
        )
        self.service = service
        self.retry_after = retry_after


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, as a mutation payload's ``userErrors`` carries it."""

    field: str
    message: str
    code: str = "BAD_USER_INPUT"


@dataclass
class ValidationFailed(Exception):
    """Several field errors at once, so a form can show them all."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message}" for e in self.errors)

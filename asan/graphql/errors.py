"""The one ``UserError`` type every mutation payload carries in ``userErrors``.

Input problems a person can fix (a field, a duplicate, a transition not allowed) travel in the
payload; refusals and unknown failures travel as GraphQL errors with a code.
"""

from __future__ import annotations

import strawberry

from asan.core.errors import DomainError, FieldError, ValidationFailed


@strawberry.type(description="A problem with one field of a mutation's input.")
class UserError:
    field: str | None = strawberry.field(description="Input field, e.g. `requirements[1].code`")
    message: str = strawberry.field(description="Azerbaijani / English")
    code: str = strawberry.field(
        description="BAD_USER_INPUT, NOT_FOUND, CONFLICT, INVALID_TRANSITION, ..."
    )

    @classmethod
    def of(cls, error: FieldError | DomainError) -> UserError:
        return cls(field=error.field, message=error.message, code=error.code)

    @classmethod
    def all_of(cls, exc: ValidationFailed) -> list[UserError]:
        return [cls.of(e) for e in exc.errors]

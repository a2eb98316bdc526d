"""Described enum values for every domain's GraphQL enums.

``strawberry.enum_value`` carries the description but is typed as a definition object, so
mypy would see members whose ``.value`` is not the stored string; ``value`` keeps the type of
what strawberry turns it into.
"""

from __future__ import annotations

from typing import cast

import strawberry


def value(raw: str, description: str) -> str:
    """An enum member's value with its GraphQL description (typed as the raw value it becomes:
    strawberry replaces the definition by ``raw`` when it builds the enum)."""
    return cast(str, strawberry.enum_value(raw, description=description))

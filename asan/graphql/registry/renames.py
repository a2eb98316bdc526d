"""Service input lists renamed to the output's names (``centres`` -> ``asanCentres``, ...).

The old input names stay, deprecated, until their date; a client may send either. The use
cases name list errors by the model's fields (``centres[0]``), so a client that sent the new
name gets its own name back in ``userErrors``.
"""

from __future__ import annotations

from typing import Any

from asan.graphql.errors import UserError

USE_CENTRES = "Use asanCentres; removed after 2027-06-30"
USE_BUSES = "Use mobileBuses; removed after 2027-06-30"
USE_SYSTEMS = "Use informationSystems; removed after 2027-06-30"

# input attribute (new) -> the model's field name that errors use; new API names in camelCase
RENAMED = {
    "asan_centres": ("centres", "asanCentres"),
    "mobile_buses": ("buses", "mobileBuses"),
    "information_systems": ("systems", "informationSystems"),
}


def either(new: list[str] | None, old: list[str]) -> list[str]:
    """The new field's value when given, else the deprecated one's."""
    return new if new is not None else old


def either_or_none(new: list[str] | None, old: list[str] | None) -> list[str] | None:
    """For updates, where null means "unchanged"."""
    return new if new is not None else old


def renamed_errors(errors: list[UserError], given: Any) -> list[UserError]:
    """``userErrors`` naming the list fields as the client sent them."""
    result = []
    for error in errors:
        field = error.field or ""
        for attribute, (old, new) in RENAMED.items():
            sent_new = getattr(given, attribute, None) is not None
            if sent_new and (field == old or field.startswith(old + "[")):
                error = UserError(
                    field=new + field[len(old) :], message=error.message, code=error.code
                )
        result.append(error)
    return result

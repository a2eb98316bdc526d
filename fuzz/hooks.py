"""Schemathesis check loaded through ``SCHEMATHESIS_HOOKS=fuzz.hooks``.

Schemathesis' own ``not_a_server_error`` treats every GraphQL error that carries a ``path`` as a
server failure, so FORBIDDEN or NOT_FOUND from a resolver would drown the real defects. This
check fails only on what the API itself labels a failure of its own: a 5xx status or an error
whose ``extensions.code`` is INTERNAL_SERVER_ERROR. Schemathesis then shrinks the case and
prints a reproducer for it.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

SERVER_ERROR_CODE = "INTERNAL_SERVER_ERROR"


def internal_errors(payload: object) -> list[dict[str, Any]]:
    """The errors of a GraphQL response body labelled INTERNAL_SERVER_ERROR."""
    if not isinstance(payload, dict):
        return []
    errors = payload.get("errors")
    if not isinstance(errors, list):
        return []
    found = []
    for error in errors:
        if not isinstance(error, dict):
            continue
        extensions = error.get("extensions")
        if isinstance(extensions, dict) and extensions.get("code") == SERVER_ERROR_CODE:
            found.append(error)
    return found


@schemathesis.check
def no_internal_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        payload = json.loads(response.content or b"null")
    except ValueError:
        return None
    found = internal_errors(payload)
    if found:
        messages = "; ".join(str(error.get("message")) for error in found)
        raise AssertionError(f"{SERVER_ERROR_CODE}: {messages[:500]}")
    return None

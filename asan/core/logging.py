"""JSON log lines carrying the request id, with every secret taken out before a line is written.

Secrets reach log records by paths nobody wrote on purpose: strawberry logs each GraphQL error
as the error object, whose text quotes the query source (``login(input: {password: "..."})``);
graphql-core's messages quote rejected variable values; a traceback can carry a token. So a
filter rewrites every record before any handler formats it:

- a GraphQL error is logged as its message, path and location only, never the query source;
- in any text, the value after a sensitive name (password, secret, token, authorization, ...)
  in GraphQL, JSON, Python or form syntax becomes ``[REDACTED]``, as do the values graphql-core
  quotes back ("got invalid value ...", "cannot represent ...: ...");
- anything shaped like a JWT, one of our refresh tokens, or a Bearer/Basic credential is
  redacted wherever it appears.

The filter sits on the handler ``configure`` installs (every logger passes through it) and on
the ``strawberry.execution`` logger itself (so its records are clean whatever the handlers).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

REDACTED = "[REDACTED]"
SENSITIVE_NAMES = (
    r"[A-Za-z_]*(?:password|passwd|passphrase|secret|token|authorization|credential|api_?key)"
    r"[A-Za-z_]*"
)
# a value: GraphQL/JSON string (block strings too), Python string, or a bare run up to a
# separator; the names may be quoted and followed by ':' or '='
_VALUE = r'(?:"""[\s\S]*?"""|"(?:[^"\\]|\\.)*"?|\'(?:[^\'\\]|\\.)*\'?|[^\s,&;}\])\'"]+)'
_NAMED_VALUE = re.compile(
    rf"""(?P<name>["']?\b{SENSITIVE_NAMES}["']?\s*[:=]\s*)(?P<value>{_VALUE})""",
    re.IGNORECASE,
)
_SHAPES = (
    # JWT (header.payload.signature, base64url)
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    # our refresh tokens
    re.compile(r"\brt_[A-Za-z0-9_-]{16,}"),
    # HTTP credentials
    re.compile(r"\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE),
)
# graphql-core quotes rejected values back: "Variable '$x' got invalid value {...}; ..." and
# "String cannot represent a non string value: ..."
_QUOTED_BACK = (
    re.compile(r"(got invalid value )(.*?)(;|$)", re.DOTALL),
    re.compile(r"(cannot represent[^:]*: )(.*?)(\.?$)", re.DOTALL),
    re.compile(r"(Expected value of type [^,]+, found )(.*?)(;|\.?$)", re.DOTALL),
)


def redact(text: str) -> str:
    """The text with every value that may be a secret replaced by ``[REDACTED]``."""
    for pattern in _QUOTED_BACK:
        text = pattern.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    # shapes first: "Authorization: Bearer <token>" must lose the token, not just "Bearer"
    for shape in _SHAPES:
        text = shape.sub(REDACTED, text)
    return _NAMED_VALUE.sub(lambda m: m.group("name") + REDACTED, text)


def _graphql_error_text(error: Any) -> str:
    """A GraphQL error without its source excerpt: message, path, line:column."""
    parts = [str(getattr(error, "message", "") or "")]
    path = getattr(error, "path", None)
    if path:
        parts.append("path " + ".".join(str(p) for p in path))
    locations = getattr(error, "locations", None)
    if locations:
        parts.append(
            "at " + ", ".join(f"{loc.line}:{loc.column}" for loc in locations if loc is not None)
        )
    return " | ".join(parts)


def _is_graphql_error(value: object) -> bool:
    return all(hasattr(value, name) for name in ("message", "locations", "path", "nodes"))


class RedactSecrets(logging.Filter):
    """Rewrites a record so that no handler can write a secret from it (always lets it pass)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_asan_redacted", False):
            return True
        if _is_graphql_error(record.msg):
            message = _graphql_error_text(record.msg)
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):  # a malformed format: keep the raw template
                message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            record.fields = {k: _redact_field(k, v) for k, v in fields.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record._asan_redacted = True
        return True


def _redact_field(name: str, value: object) -> object:
    if re.fullmatch(SENSITIVE_NAMES, name, re.IGNORECASE):
        return REDACTED
    return redact(value) if isinstance(value, str) else value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            payload["request_id"] = request_id
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            payload.update(extra)
        if record.exc_text:
            payload["exc"] = record.exc_text
        elif record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False, default=str)


def install_redaction() -> None:
    """Put the filter on strawberry's error logger (idempotent; also done on import)."""
    logger = logging.getLogger("strawberry.execution")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())


def configure(level: str = "INFO", as_json: bool = True, stream: IO[str] | None = None) -> None:
    """One handler on the root logger (stderr unless ``stream``), every record redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if as_json:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    install_redaction()


install_redaction()

"""Slow and idle HTTP connections: closed after a timeout instead of held forever.

Uvicorn arms its keep-alive timer only after a first response, so a connection that sends
nothing, or sends its request head a byte at a time (slowloris), is kept open indefinitely,
and an ASGI app waits forever for a body that never comes. Three bounds close that:

- the request head must arrive within ``http_header_timeout_seconds`` of the connection
  opening (or of the previous response): ``HeadTimeoutProtocol`` closes the connection;
- the body must arrive within ``http_body_timeout_seconds`` of the request starting:
  ``BodyTimeoutMiddleware`` answers 408 and closes the connection;
- an idle kept-alive connection closes after ``http_keep_alive_seconds`` (uvicorn's own).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from asan.core.asgi import TrackedSend
from asan.core.settings import Settings


class _BodyTimeout(Exception):
    pass


class BodyTimeoutMiddleware:
    """408 and a closed connection when a request body does not arrive in time."""

    def __init__(self, app: ASGIApp, timeout_seconds: float) -> None:
        self.app = app
        self.timeout = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = time.monotonic() + self.timeout
        body_done = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:  # after the body only a disconnect can come: no deadline
                return await receive()
            try:
                async with asyncio.timeout_at(_loop_deadline(deadline)):
                    message = await receive()
            except TimeoutError:
                raise _BodyTimeout from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        tracking_send = TrackedSend(send)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except _BodyTimeout:
            if tracking_send.started:
                raise
            response = JSONResponse(
                {
                    "error": f"request body not received within {self.timeout:g}s / "
                    f"sorğunun gövdəsi {self.timeout:g} saniyə ərzində gəlmədi"
                },
                status_code=408,
                headers={"connection": "close"},
            )
            await response(scope, receive, send)


def _loop_deadline(monotonic_deadline: float) -> float:
    loop = asyncio.get_running_loop()
    return loop.time() + (monotonic_deadline - time.monotonic())


class HeadTimeoutProtocol(HttpToolsProtocol):
    """Closes a connection whose next request head has not arrived within the timeout."""

    head_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def handle_websocket_upgrade(self) -> None:
        self._cancel_head_timer()  # the connection now belongs to the websocket protocol
        super().handle_websocket_upgrade()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        if self.transport.is_closing():
            return
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_expired, self.cycle)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self, armed_cycle: Any) -> None:
        """Close unless a new request head arrived (a new cycle) or one is being served."""
        self._head_timer = None
        waiting = self.cycle is armed_cycle and (
            armed_cycle is None or armed_cycle.response_complete
        )
        if waiting and not self.transport.is_closing():
            self.transport.close()


def head_timeout_protocol(timeout: float) -> type[HeadTimeoutProtocol]:
    return type("HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"head_timeout": timeout})


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` bounding slow connections."""
    return {
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        "http": head_timeout_protocol(settings.http_header_timeout_seconds),
    }

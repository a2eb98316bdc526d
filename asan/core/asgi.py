"""Small ASGI helpers shared by the middlewares that turn a late failure into a response."""

from __future__ import annotations

from starlette.types import Message, Send


class TrackedSend:
    """``send`` that remembers whether the response has started.

    A middleware may answer an error (an outage, a timeout) with its own response only while
    nothing has been sent; after the start line it can only re-raise.
    """

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)

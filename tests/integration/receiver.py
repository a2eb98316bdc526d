"""A real HTTP server that receives webhook deliveries (a thread; the test tells it to fail)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asan.integration import signing


@dataclass
class Delivery:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers ``fail_next`` requests with 500, then 200; records every request."""

    secret: str = ""
    fail_next: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver.changed:
                    status = 500 if receiver.fail_next > 0 else 200
                    receiver.fail_next = max(0, receiver.fail_next - 1)
                    receiver.deliveries.append(
                        Delivery(status, body, {k.lower(): v for k, v in self.headers.items()})
                    )
                    receiver.changed.notify_all()
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def accepted(self) -> list[dict[str, Any]]:
        """Events of the deliveries answered 2xx, in the order received."""
        with self.changed:
            return [e for d in self.deliveries if d.status == 200 for e in d.payload["events"]]

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> bool:
        """Block until ``predicate(self)`` holds (woken by each delivery) or the timeout."""
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    def verified(self, delivery: Delivery, secret: str) -> bool:
        return signing.verify(secret, delivery.headers[signing.HEADER.lower()], delivery.body)

"""What every resolver receives: the platform, the request, the caller, per-request loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from asan.core.platform import Platform


@dataclass
class Context:
    platform: Platform
    request: Request | None = None
    principal: Any = None  # the authenticated identity; set by the auth layer
    loaders: dict[str, Any] = field(default_factory=dict)

    def loader(self, name: str, factory: Any) -> Any:
        """One DataLoader per name per request, so batching spans the whole query."""
        if name not in self.loaders:
            self.loaders[name] = factory()
        return self.loaders[name]

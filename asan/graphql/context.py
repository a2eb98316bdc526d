"""What every resolver receives: the platform, the request, the caller, per-request loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.platform import Platform


@dataclass
class Context:
    platform: Platform
    request: Request | None = None
    principal: Principal = ANONYMOUS  # resolved once per request by the auth middleware
    loaders: dict[str, Any] = field(default_factory=dict)
    auth: Any = None  # asan.auth.service.AuthService of the app (sign-in mutations)

    def loader(self, name: str, factory: Any) -> Any:
        """One DataLoader per name per request, so batching spans the whole query."""
        if name not in self.loaders:
            self.loaders[name] = factory()
        return self.loaders[name]

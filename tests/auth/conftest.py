from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from asan.app import create_app
from asan.auth.keys import KeyStore
from asan.auth.service import AuthService
from asan.core.platform import Platform
from asan.core.settings import Settings
from tests.auth.support import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth_settings(settings: Settings, tmp_path: Path) -> Settings:
    # keys live in a per-test data dir; everything else as the session's settings
    return settings.model_copy(update={"data_dir": tmp_path})


@pytest.fixture
def auth(auth_settings: Settings, clock: FakeClock) -> AuthService:
    keys = KeyStore.open(auth_settings.data_path, auth_settings.auth_algorithm)
    return AuthService(auth_settings, keys, clock=clock)


def client_for(settings: Settings, platform: Platform, auth: AuthService) -> httpx.AsyncClient:
    app = create_app(settings, platform, auth)
    app.state.platform = platform  # ASGITransport does not run the lifespan
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://asan.test")


@pytest.fixture
async def client(
    clean_platform: Platform, auth_settings: Settings, auth: AuthService
) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(auth_settings, clean_platform, auth) as c:
        yield c

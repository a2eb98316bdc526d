"""The first administrator from the CLI, key rotation from the CLI, and the dev demo users."""

from __future__ import annotations

import asyncio
import json

import pytest
from typer.testing import CliRunner

from asan.auth.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_users
from asan.cli import app as cli
from asan.core.settings import Profile
from tests.auth.support import audit_rows, ensure_state_body


async def test_create_admin_then_sign_in(clean_platform, auth) -> None:
    runner = CliRunner()
    result = await asyncio.to_thread(
        runner.invoke,
        cli,
        ["create-admin", "--username", "Rəşad", "--display-name", "Rəşad Əliyev"],
        input="a long admin password\na long admin password\n",
    )
    assert result.exit_code == 0, result.output
    pair = await auth.login(clean_platform, "rəşad", "a long admin password")
    principal = await auth.authenticate(clean_platform, pair.access_token, None)
    assert principal.roles == {"administrator"} and principal.name == "Rəşad Əliyev"
    created = [e for e in await audit_rows(clean_platform) if e["action"] == "auth.user.create"]
    assert created[0]["actor"] == "system"
    again = await asyncio.to_thread(
        runner.invoke,
        cli,
        ["create-admin", "--username", "RƏŞAD"],
        input="a long admin password\na long admin password\n",
    )
    assert again.exit_code == 1 and "already taken" in again.output
    short = await asyncio.to_thread(
        runner.invoke, cli, ["create-admin", "--username", "x"], input="short\nshort\n"
    )
    assert short.exit_code == 1 and "password" in short.output


def test_keys_rotate_command(settings) -> None:
    from asan.auth.keys import KeyStore

    store = KeyStore.open(settings.data_path, settings.auth_algorithm)
    before = store.active.kid
    result = CliRunner().invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(store.manifest_path.read_text())
    assert manifest["active"] != before and before in result.output
    assert any(k["kid"] == before and k["retiredAt"] for k in manifest["keys"])


async def test_demo_users_are_created_once_and_never_in_production(clean_platform, auth) -> None:
    await ensure_state_body(clean_platform, "DIN")  # demo.editor's body (the sample registry's)
    line = await load_demo_users(clean_platform)
    assert DEMO_PASSWORD in line
    assert await load_demo_users(clean_platform) == "demo users: already present"
    for username, *_ in DEMO_USERS:
        assert (await auth.login(clean_platform, username, DEMO_PASSWORD)).access_token
    prod = clean_platform.settings.model_copy(update={"profile": Profile.PROD})
    original = clean_platform.settings
    clean_platform.settings = prod
    try:
        with pytest.raises(RuntimeError):
            await load_demo_users(clean_platform)
    finally:
        clean_platform.settings = original

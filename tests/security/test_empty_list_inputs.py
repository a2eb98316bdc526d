"""Issue 7, item 6: empty list inputs are input errors, and authorisation comes first."""

from __future__ import annotations

from typing import Any

import pytest

from asan.auth.principal import ANONYMOUS, Principal
from asan.core.errors import Forbidden, Unauthenticated, ValidationFailed
from asan.core.platform import Platform
from asan.graphql.context import Context
from asan.graphql.schema import schema
from asan.registry.catalog import service as catalog
from tests.registry.catalog_support import EDITOR_DIN, build_registry

LINK = """
mutation($input: LinkInformationSystemsInput!) {
  linkInformationSystems(input: $input) {
    informationSystems { code }
    userErrors { field message code }
  }
}"""


async def execute(p: Platform, principal: Principal, links: list[Any]) -> Any:
    return await schema.execute(
        LINK,
        variable_values={"input": {"links": links}},
        context_value=Context(platform=p, principal=principal),
    )


async def test_empty_links_is_a_user_error_naming_links(clean_platform: Platform) -> None:
    await build_registry(clean_platform)
    result = await execute(clean_platform, EDITOR_DIN, [])
    assert result.errors is None, result.errors
    payload = result.data["linkInformationSystems"]
    assert payload["informationSystems"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("links", "BAD_USER_INPUT")]


async def test_empty_links_from_a_stranger_is_refused_first(clean_platform: Platform) -> None:
    await build_registry(clean_platform)
    result = await execute(clean_platform, ANONYMOUS, [])
    assert result.errors, result.data
    codes = {(e.extensions or {}).get("code") for e in result.errors}
    assert codes <= {"UNAUTHENTICATED", "FORBIDDEN"} and codes, codes
    with pytest.raises((Forbidden, Unauthenticated)):
        await catalog.link_information_systems(clean_platform, ANONYMOUS, [])


async def test_an_editor_still_links_its_own_systems(clean_platform: Platform) -> None:
    await build_registry(clean_platform)
    result = await execute(clean_platform, EDITOR_DIN, [{"consumer": "IAMAS", "provider": "VISA"}])
    assert result.errors is None, result.errors
    assert result.data["linkInformationSystems"]["informationSystems"] == [{"code": "IAMAS"}]


async def test_empty_bus_stop_list_is_an_input_error(clean_platform: Platform) -> None:
    with pytest.raises(ValidationFailed) as bad:
        await catalog.save_bus_stops(clean_platform, catalog_admin(), [])
    assert [e.field for e in bad.value.errors] == ["stops"]


def catalog_admin() -> Principal:
    from asan.auth.principal import SYSTEM

    return SYSTEM

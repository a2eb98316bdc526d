"""The registry's mutations take a client mutation id: a request repeated with the same id
(a lost answer resent) returns the first result and changes nothing again, through GraphQL."""

from __future__ import annotations

from asan.core.platform import Platform
from tests.registry.catalog_support import EDITOR_DIN, REVIEWER, build_registry
from tests.registry.test_catalog_graphql import CREATE_SERVICE, SERVICE_INPUT, run

SUBMIT = """
mutation($id: String) {
  submitServiceRegistration(input: {serviceCode: "DIN-001", clientMutationId: $id}) {
    registrationRequest { id status } userErrors { field code }
  }
}"""
RETURN = """
mutation($request: String!, $id: String) {
  returnServiceRegistration(input: {requestId: $request, defects: ["Rüsum yoxdur"],
                                    clientMutationId: $id}) {
    registrationRequest { status defects } userErrors { field code }
  }
}"""


async def _count(p: Platform, query: str) -> int:
    rows = await p.db.read(query)
    return int(rows[0]["n"])


async def test_a_repeated_registry_mutation_acts_once(clean_platform: Platform) -> None:
    p = clean_platform
    await build_registry(p)
    first = await run(
        p, CREATE_SERVICE, EDITOR_DIN, input={**SERVICE_INPUT, "clientMutationId": "c-1"}
    )
    again = await run(
        p, CREATE_SERVICE, EDITOR_DIN, input={**SERVICE_INPUT, "clientMutationId": "c-1"}
    )
    assert again == first and first["createService"]["userErrors"] == []
    # without the id the same input is a second attempt: refused as a duplicate code
    duplicate = await run(p, CREATE_SERVICE, EDITOR_DIN, input=SERVICE_INPUT)
    assert duplicate["createService"]["userErrors"]

    submitted = await run(p, SUBMIT, EDITOR_DIN, id="s-1")
    resent = await run(p, SUBMIT, EDITOR_DIN, id="s-1")
    assert resent == submitted
    request = submitted["submitServiceRegistration"]["registrationRequest"]
    assert request["status"] == "SUBMITTED"
    requests = "MATCH (r:RegistrationRequest) RETURN count(r) AS n"
    assert await _count(p, requests) == 1

    returned = await run(p, RETURN, REVIEWER, request=request["id"], id="r-1")
    replayed = await run(p, RETURN, REVIEWER, request=request["id"], id="r-1")
    assert replayed == returned
    assert returned["returnServiceRegistration"]["registrationRequest"]["defects"] == [
        "Rüsum yoxdur"
    ]
    # a new id is a new attempt: the request is no longer submitted, so it is refused
    fresh = await run(p, RETURN, REVIEWER, request=request["id"], id="r-2")
    assert fresh["returnServiceRegistration"]["userErrors"]

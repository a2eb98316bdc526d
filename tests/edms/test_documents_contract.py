"""The EDMS GraphQL contract, checked on the schema: every document-circulation mutation takes
one ``input`` with an optional ``clientMutationId`` (idempotency) and answers with a payload
carrying ``userErrors`` (where INVALID_TRANSITION and field problems travel)."""

from __future__ import annotations

from graphql import GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType, get_named_type
from strawberry.utils.str_converters import to_camel_case

from asan.graphql import edms
from asan.graphql.schema import schema


def _edms_mutation_names() -> set[str]:
    names = set()
    for root in edms.MUTATIONS:
        for field in root.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            names.add(to_camel_case(field.python_name))
    return names


def test_every_edms_mutation_is_idempotent_and_reports_user_errors() -> None:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    names = _edms_mutation_names()
    assert {"registerDocument", "updateDocumentCard", "configureJournal"} <= names
    problems = []
    for name in sorted(names):
        field = mutation.fields[name]
        arg = field.args.get("input")
        if arg is None or not isinstance(arg.type, GraphQLNonNull):
            problems.append(f"{name}: no required `input` argument")
            continue
        input_type = get_named_type(arg.type)
        assert isinstance(input_type, GraphQLInputObjectType)
        cmid = input_type.fields.get("clientMutationId")
        if cmid is None or isinstance(cmid.type, GraphQLNonNull):
            problems.append(f"{name}: no optional clientMutationId")
        payload = get_named_type(field.type)
        if not isinstance(payload, GraphQLObjectType) or "userErrors" not in payload.fields:
            problems.append(f"{name}: payload without userErrors")
    assert problems == []

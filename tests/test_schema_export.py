"""schema.graphql is what clients integrate against: it must match the code exactly."""

from pathlib import Path

from asan.graphql.schema import schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_exported_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql drifted from the code: run `make schema` and commit it"
    )

"""Settings: profiles keep tests apart from `make run`, production refuses dev secrets."""

import pytest
from pydantic import ValidationError

from asan.core.settings import Profile, Settings


def test_test_profile_uses_its_own_ports_and_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ASAN_NEO4J_PORT", "ASAN_MINIO_PORT", "ASAN_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    dev = Settings(profile=Profile.DEV)
    test = Settings(profile=Profile.TEST)
    assert (dev.neo4j_port, dev.minio_port) != (test.neo4j_port, test.minio_port)
    assert dev.data_path != test.data_path
    assert test.data_path.name == "test"


def test_production_refuses_development_secrets() -> None:
    with pytest.raises(ValidationError) as info:
        Settings(profile=Profile.PROD)
    assert "ASAN_NEO4J_PASSWORD" in str(info.value)
    assert "ASAN_MINIO_SECRET_KEY" in str(info.value)


def test_production_accepts_real_secrets() -> None:
    s = Settings(
        profile=Profile.PROD,
        neo4j_password="a-long-real-one",
        minio_secret_key="Real-MinIO-secret-2026",
    )
    assert s.is_production


def test_env_example_documents_every_setting() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()

    def env_name(name: str) -> str:
        alias = Settings.model_fields[name].validation_alias  # e.g. ASAN_NEO4J_URI
        choices = getattr(alias, "choices", [alias])
        return str(choices[0]) if choices[0] else f"ASAN_{name.upper()}"

    missing = [env_name(name) for name in Settings.model_fields if env_name(name) not in text]
    assert missing == []


def test_env_example_documents_every_document_circulation_setting() -> None:
    """Each EDMS part reads its own prefix (``ASAN_EDMS_<PART>_``); all are documented too."""
    import importlib
    from pathlib import Path

    from pydantic_settings import BaseSettings

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    missing: list[str] = []
    seen = 0
    for part in (
        "files",
        "files.processing",
        "signatures",
        "dispatch",
        "copies",
        "appeals",
        "reports",
    ):
        module = importlib.import_module(f"asan.edms.{part}.settings")
        for cls in vars(module).values():
            if (
                isinstance(cls, type)
                and issubclass(cls, BaseSettings)
                and cls.__module__ == module.__name__
            ):
                prefix = str(cls.model_config.get("env_prefix", ""))
                seen += 1
                missing += [
                    f"{prefix}{name}".upper()
                    for name in cls.model_fields
                    if f"{prefix}{name}".upper() not in text
                ]
    assert seen == 7
    assert missing == []


def test_env_example_documents_every_archive_setting() -> None:
    """Each archive part reads its own prefix (``ASAN_ARCHIVE_<PART>_``); all are documented."""
    import importlib
    from pathlib import Path

    from pydantic_settings import BaseSettings

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    missing: list[str] = []
    for name in (
        "asan.archive.fixity.settings",
        "asan.archive.disposition.settings",
        "asan.archive.export.settings",
    ):
        module = importlib.import_module(name)
        classes = [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and issubclass(cls, BaseSettings)
            and cls.__module__ == module.__name__
        ]
        assert classes, name
        for cls in classes:
            prefix = str(cls.model_config.get("env_prefix", ""))
            missing += [
                f"{prefix}{field}".upper()
                for field in cls.model_fields
                if f"{prefix}{field}".upper() not in text
            ]
    assert missing == []


def test_env_example_documents_every_search_query_setting() -> None:
    """The search queries' own settings (``ASAN_SEARCH_QUERY_``) are documented too."""
    from pathlib import Path

    from asan.search.querying.settings import SearchQuerySettings

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    prefix = str(SearchQuerySettings.model_config.get("env_prefix", ""))
    missing = [
        f"{prefix}{name}".upper()
        for name in SearchQuerySettings.model_fields
        if f"{prefix}{name}".upper() not in text
    ]
    assert prefix == "ASAN_SEARCH_QUERY_" and missing == []


# each part of the web interface with its own settings (``ASAN_WEB_<PART>_``): one line each
WEB_SETTINGS = ("asan.web.appeals.settings",)


@pytest.mark.parametrize("name", WEB_SETTINGS)
def test_env_example_documents_every_web_part_setting(name: str) -> None:
    import importlib
    from pathlib import Path

    from pydantic_settings import BaseSettings

    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    module = importlib.import_module(name)
    classes = [
        cls
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseSettings)
        and cls.__module__ == module.__name__
    ]
    assert classes, name
    missing = [
        f"{cls.model_config.get('env_prefix', '')}{field}".upper()
        for cls in classes
        for field in cls.model_fields
        if f"{cls.model_config.get('env_prefix', '')}{field}".upper() not in text
    ]
    assert str(classes[0].model_config.get("env_prefix", "")).startswith("ASAN_WEB_")
    assert missing == []

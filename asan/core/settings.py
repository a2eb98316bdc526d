"""Settings from environment variables (prefix ``ASAN_``) with safe local defaults.

Two local profiles exist so that tests never touch the data ``make run`` keeps: ``dev`` and
``test`` differ in ports and data directory. ``prod`` refuses the development defaults for
secrets, because a committed default password must never protect real data.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEV_NEO4J_PASSWORD = "asan-dev-neo4j"  # noqa: S105 - local development default only
DEV_MINIO_SECRET = "asan-dev-minio-secret"  # noqa: S105 - local development default only

MIN_SECRET_LENGTH = 12
# Refused in production whatever their length: the first guesses of any attacker.
COMMON_SECRETS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "password1234",
        "passw0rd",
        "changeme",
        "changeme123",
        "secret",
        "secret123",
        "admin",
        "admin123",
        "administrator",
        "neo4j",
        "minioadmin",
        "minio123",
        "123456",
        "12345678",
        "123456789",
        "1234567890",
        "123456789012",
        "qwerty",
        "qwerty123",
        "qwertyuiop",
        "letmein",
        "welcome",
        "iloveyou",
        "asan",
        "asan-xidmet",
        DEV_NEO4J_PASSWORD,
        DEV_MINIO_SECRET,
    }
)


# a browser origin: scheme, host, optional port; no path, no wildcard
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?|https?://\[[0-9A-Fa-f:]+\](:\d{1,5})?")


class Profile(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


_PROFILE_PORTS: dict[Profile, tuple[int, int]] = {
    Profile.DEV: (7687, 9000),
    Profile.TEST: (17687, 19000),
    Profile.PROD: (7687, 9000),
}


class Settings(BaseSettings):
    # hide_input_in_errors: a refused setting's message names the variable, never echoes the
    # values given (a password, or an address with credentials in it)
    model_config = SettingsConfigDict(
        env_prefix="ASAN_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    profile: Profile = Profile.DEV
    data_dir: Path | None = Field(
        default=None, description="Where services keep data; .data/<profile> by default"
    )
    cache_dir: Path = Field(
        default=Path.home() / ".cache" / "asan",
        description="Provisioned binaries (Neo4j launcher, MinIO), shared by all clones",
    )

    neo4j_host: str = "127.0.0.1"
    neo4j_port: int | None = None
    # ASAN_NEO4J_URI: where the API connects, when not the local server at host:port (a
    # cluster's or Aura's neo4j+s:// routing address). A field of its own name because
    # ``neo4j_uri`` is the effective address, derived from host/port when this is unset.
    neo4j_uri_setting: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ASAN_NEO4J_URI", "neo4j_uri_setting"),
        description="bolt://, bolt+s://, neo4j:// or neo4j+s://; unset: bolt://host:port",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr(DEV_NEO4J_PASSWORD)
    neo4j_database: str = "neo4j"
    neo4j_version: str = "5.26.30"
    neo4j_heap: str = "1g"

    minio_host: str = "127.0.0.1"
    minio_port: int | None = None
    minio_access_key: str = "asan-dev"
    minio_secret_key: SecretStr = SecretStr(DEV_MINIO_SECRET)
    minio_secure: bool = False
    minio_version: str = "pinned"
    bucket_prefix: str = "asan"

    service_start_timeout: float = 180.0

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    public_base_uri: str = Field(
        default="https://asan.gov.az/registry/id",
        pattern=r"^https?://[^\s?#]+$",
        description="base of the stable URIs in the CPSV-AP export (docs/interchange.md)",
    )
    log_level: str = "INFO"
    log_json: bool = True

    max_upload_bytes: int = 50 * 1024 * 1024

    # Auth (asan/auth): own tokens, an optional external OpenID Connect provider, login throttling.
    auth_issuer: str = "asan-registry"
    auth_audience: str = "asan-api"
    auth_algorithm: str = Field(default="ES256", pattern="^(ES256|RS256)$")
    # How long a resolved caller (roles, units, delegations) is reused across requests: role,
    # position and delegation changes take effect within this many seconds. 0 disables it.
    auth_principal_cache_seconds: float = Field(default=5.0, ge=0, le=300)
    # How stale a process's copy of the revocation state (logged-out sessions, deactivated or
    # changed users) may be: a revoked access token is refused within this many seconds.
    auth_revocation_cache_seconds: float = Field(default=2.0, gt=0, le=60)
    access_token_ttl_seconds: int = Field(default=600, ge=30, le=3600)
    refresh_token_ttl_seconds: int = Field(default=14 * 24 * 3600, ge=300)
    # A refresh token presented again within this many seconds of its first use is renewed
    # (same session) instead of ending the session as a theft: two workers renewing one page
    # session's expired access token at once (`asan serve --workers N`). 0 = strict rotation.
    auth_refresh_reuse_grace_seconds: float = Field(default=0.0, ge=0, le=60)
    token_leeway_seconds: int = Field(default=30, ge=0, le=300)
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_jwks_cache_seconds: int = Field(default=300, ge=10)
    login_backoff_after: int = Field(default=3, ge=1, description="failures before delays start")
    login_backoff_max_seconds: int = Field(default=60, ge=1)
    login_lockout_threshold: int = Field(default=10, ge=2)
    login_lockout_seconds: int = Field(default=900, ge=10)
    # failures per username from every address: after N, attempts on that name are spaced by
    # a delay doubling up to a small cap, so the owner always gets in within the cap
    login_user_delay_after: int = Field(default=5, ge=1)
    login_user_delay_max_seconds: int = Field(default=5, ge=1, le=60)
    # failures from one address over every username: the address alone is locked after N
    login_source_lockout_threshold: int = Field(default=50, ge=2)
    # failures older than this are forgotten (counting starts again)
    login_failure_window_seconds: int = Field(default=3600, ge=60)
    rate_limit_per_minute: int = Field(default=600, ge=1, description="per signed-in identity")
    rate_limit_anonymous_per_minute: int = Field(default=240, ge=1, description="per address")
    graphql_max_cost: int = Field(default=20000, ge=1)
    graphql_introspection: bool | None = Field(
        default=None, description="None: on outside production, off in production"
    )
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    # Browsers (asan/browser.py): origins whose pages may call the API, comma-separated
    # ("https://portal.example.az,https://dev.example.az"). Unset: none, except http://localhost
    # and 127.0.0.1 on any port in the dev profile; set empty: none at all.
    cors_origins: str | None = None
    # The API's public base URL (https://registry.example.az) named by the OpenID discovery
    # document; unset: the URL the request came to.
    public_url: str | None = None

    # Outages: fail fast with SERVICE_UNAVAILABLE rather than hold a request for half a minute.
    neo4j_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    neo4j_max_retry_seconds: float = Field(
        default=3.0, ge=0, description="driver retries of a query on transient/outage errors"
    )
    # Mutations: a unit of work that fails transiently (a deadlock on the audit chain or change
    # log head) is run again whole, this many attempts in all, with jittered exponential backoff.
    mutation_max_attempts: int = Field(default=10, ge=1, le=30)
    mutation_retry_base_seconds: float = Field(default=0.05, ge=0, le=5)
    minio_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    minio_read_timeout_seconds: float = Field(default=60.0, gt=0)
    minio_retries: int = Field(default=2, ge=0, le=10)
    # /readyz: probes run concurrently with this timeout each; answers are reused briefly.
    readiness_timeout_seconds: float = Field(default=0.75, gt=0, le=5)
    readiness_cache_seconds: float = Field(default=2.0, ge=0, le=60)
    # Slow and idle HTTP connections: closed when the request head, the body, or the next
    # request on a kept-alive connection does not arrive in time.
    http_keep_alive_seconds: float = Field(default=5.0, gt=0, le=300)
    http_header_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    http_body_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Webhooks (asan/integration): the delivery worker polls the change log, posts signed
    # batches, backs off exponentially per subscriber, and holds a lease per subscriber.
    webhook_worker: bool = True  # run the delivery worker inside each API process
    webhook_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    webhook_batch_size: int = Field(default=200, ge=1, le=1000)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_retry_base_seconds: float = Field(default=2.0, gt=0, le=3600)
    webhook_retry_max_seconds: float = Field(default=900.0, gt=0, le=86400)
    webhook_lease_seconds: float = Field(default=60.0, gt=0, le=3600)
    # dev/test only: let receivers listen on http://127.0.0.1 (refused in prod)
    webhook_allow_loopback: bool = False
    # Search (asan/search): `asan serve` starts this node's indexer process (the one writer
    # of <data>/search); false when it runs separately (`asan search indexer`).
    search_indexer: bool = True

    @field_validator("cors_origins")
    @classmethod
    def _valid_origins(cls, value: str | None) -> str | None:
        if value is None:
            return None
        for origin in (o.strip() for o in value.split(",") if o.strip()):
            if not ORIGIN.fullmatch(origin):
                raise ValueError(
                    "ASAN_CORS_ORIGINS: each origin is scheme://host[:port] without a path "
                    "or wildcard"
                )
        return value

    @property
    def cors_origin_list(self) -> tuple[str, ...] | None:
        """The configured origins, or None when the setting is unset (profile default)."""
        if self.cors_origins is None:
            return None
        return tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())

    @field_validator("neo4j_uri_setting")
    @classmethod
    def _valid_neo4j_uri(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        problem = neo4j_uri_problem(value.strip())
        if problem is not None:
            raise ValueError(f"ASAN_NEO4J_URI: {problem}")
        return value.strip()

    @model_validator(mode="after")
    def _profile_defaults(self) -> Settings:
        neo4j_port, minio_port = _PROFILE_PORTS[self.profile]
        if self.neo4j_port is None:
            self.neo4j_port = neo4j_port
        if self.minio_port is None:
            self.minio_port = minio_port
        if self.data_dir is None:
            self.data_dir = PROJECT_ROOT / ".data" / self.profile.value
        if self.profile is Profile.PROD and self.webhook_allow_loopback:
            raise ValueError("ASAN_WEBHOOK_ALLOW_LOOPBACK is for the dev and test profiles only")
        if self.profile is Profile.PROD:
            weak = [
                f"ASAN_{name.upper()} ({reason})"
                for name, value in self._secrets()
                if (reason := secret_weakness(value)) is not None
            ]
            if weak:
                raise ValueError("production profile needs real secrets; set " + "; ".join(weak))
        return self

    def _secrets(self) -> list[tuple[str, str]]:
        """Every SecretStr setting that has a value, so a secret added later is checked too."""
        found = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                found.append((name, value.get_secret_value()))
        return found

    @property
    def neo4j_uri(self) -> str:
        """ASAN_NEO4J_URI when set, else the local server: derived on every read, so a copy
        of the settings with another port (tests) connects to that port."""
        if self.neo4j_uri_setting:
            return self.neo4j_uri_setting
        return f"bolt://{self.neo4j_host}:{self.neo4j_port}"

    @property
    def neo4j_routing(self) -> bool:
        """True for neo4j:// addresses: the driver routes reads to followers of a cluster."""
        return self.neo4j_uri.startswith("neo4j")

    @property
    def minio_endpoint(self) -> str:
        return f"{self.minio_host}:{self.minio_port}"

    @property
    def data_path(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir

    @property
    def is_production(self) -> bool:
        return self.profile is Profile.PROD

    def bucket(self, purpose: str) -> str:
        """S3 bucket names are global per server: one prefix keeps profiles and runs apart."""
        return f"{self.bucket_prefix}-{purpose}"


NEO4J_SCHEMES = ("bolt", "bolt+s", "neo4j", "neo4j+s")


def neo4j_uri_problem(uri: str) -> str | None:
    """Why ``uri`` is not a usable Neo4j address, or None.

    Credentials in the address are refused: they would be printed wherever the address is
    (status lines, errors), while ASAN_NEO4J_USER/PASSWORD are kept secret. ``+ssc`` (trust
    any certificate) is not offered: an encrypted connection to anyone is not a secure one.
    """
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return "not a valid address / etibarlı ünvan deyil"
    if parts.scheme not in NEO4J_SCHEMES:
        schemes = ", ".join(f"{s}://" for s in NEO4J_SCHEMES)
        return f"the scheme must be one of {schemes} / sxem bunlardan biri olmalıdır: {schemes}"
    if not parts.hostname:
        return "the host is missing / host göstərilməyib"
    if parts.username is not None or parts.password is not None:
        return (
            "credentials do not belong in the address; set ASAN_NEO4J_USER and "
            "ASAN_NEO4J_PASSWORD / istifadəçi adı və parol ünvanda yazılmır"
        )
    if parts.path not in ("", "/") or parts.fragment:
        return "no path or fragment is allowed / ünvanda yol və ya fraqment ola bilməz"
    if parts.query and not parts.scheme.startswith("neo4j"):
        return "only neo4j:// addresses take a routing context (?...) / yalnız neo4j:// üçün"
    if port == 0:
        return "the port must be 1-65535 / port 1-65535 olmalıdır"
    return None


def secret_weakness(value: str) -> str | None:
    """Why a secret is too weak for production, or None; the reason never echoes the value."""
    if not value.strip():
        return "empty / boşdur"
    if value != value.strip():
        return "leading or trailing whitespace / əvvəlində və ya sonunda boşluq var"
    folded = value.casefold()
    if folded in COMMON_SECRETS or folded.rstrip("0123456789!") in COMMON_SECRETS:
        return "a default or common value / standart və ya geniş yayılmış dəyərdir"
    if len(value) < MIN_SECRET_LENGTH:
        return f"shorter than {MIN_SECRET_LENGTH} characters / {MIN_SECRET_LENGTH} simvoldan qısa"
    if len(set(value)) < 5:
        return "too few distinct characters / çox az müxtəlif simvol var"
    return None


@lru_cache(maxsize=1)
def get_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)

"""The Neo4j adapter: one async driver, the database named on every call, counted round trips.

Every query goes through here so that (a) the database name is never left to the driver's
home-database lookup (an extra round trip per session), (b) parameters are always passed
separately from the Cypher text, and (c) tests can count round trips to prove that a nested
GraphQL query costs one query per level.

Reads and writes are told apart on every call (``read``/``read_transaction`` run in READ access
mode, ``write``/``transaction`` in WRITE mode): with a ``neo4j://`` routing address a cluster
sends reads to followers and writes to the leader, and the server refuses a write attempted in
a read transaction, so a mislabelled write fails loudly in tests instead of on a follower.
Every session shares the driver's bookmark manager, so this process reads its own writes even
when the read lands on a follower (causal consistency within a process; across API processes
see docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Literal, LiteralString

from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncSession,
    AsyncTransaction,
)
from neo4j import Record as Neo4jRecord
from neo4j._data import RecordExporter  # what Record.data() uses; tests compare the two
from neo4j.exceptions import AuthError, SessionExpired
from neo4j.exceptions import ServiceUnavailable as DriverUnavailable

from asan.core.errors import ServiceUnavailable
from asan.core.settings import Settings

Record = dict[str, Any]


@contextmanager
def outage_guard() -> Iterator[None]:
    """Turn the driver's "cannot reach the server" errors into the domain's outage error.

    Callers (and clients) then see SERVICE_UNAVAILABLE naming neo4j, not an internal error.
    """
    try:
        yield
    except (DriverUnavailable, SessionExpired) as exc:
        raise ServiceUnavailable("neo4j") from exc


_EXPORTER = RecordExporter()
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """``Record.data()``'s value conversion, with the common types decided by exact type.

    The driver's exporter tests every value against ``Sequence``/``Mapping`` ABCs; on a nested
    read (a body's services with their documents) that was most of the driver's CPU time.
    Lists, dicts and scalars give the same result here; anything else (nodes, relationships,
    paths, temporal and spatial values) goes to the driver's exporter unchanged.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {key: _plain(item) for key, item in value.items()}
    if kind is list:
        return [_plain(item) for item in value]
    return _EXPORTER.transform(value)  # type: ignore[no-untyped-call]


def plain_record(record: Neo4jRecord) -> Record:
    """What ``record.data()`` returns, computed faster (see ``_plain``)."""
    return {key: _plain(value) for key, value in zip(record.keys(), record.values(), strict=True)}


class DatabaseUnavailable(RuntimeError):
    """Neo4j cannot be reached or refuses us; the message names the address."""


class Database:
    def __init__(self, driver: AsyncDriver, database: str, uri: str) -> None:
        self._driver = driver
        self.database = database
        self.uri = uri
        self.round_trips = 0
        # round trips in WRITE access mode (write, transaction, auto-commit): on a cluster
        # each is served by the leader; a read-only request should add none
        self.write_round_trips = 0

    @classmethod
    def connect(cls, settings: Settings) -> Database:
        driver = AsyncGraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
            max_connection_pool_size=50,
            connection_acquisition_timeout=10,
            connection_timeout=settings.neo4j_connect_timeout_seconds,
            # The driver retries queries on outages; bounded so a client hears "unavailable"
            # in seconds rather than after the request timeout.
            max_transaction_retry_time=settings.neo4j_max_retry_seconds,
            # "label/property does not exist yet" is normal on a fresh graph, not a warning.
            notifications_disabled_classifications=["UNRECOGNIZED"],
        )
        return cls(driver, settings.neo4j_database, settings.neo4j_uri)

    async def close(self) -> None:
        await self._driver.close()

    async def ping(self) -> None:
        """Raise DatabaseUnavailable with a one-line reason when Neo4j cannot serve queries."""
        try:
            # Auto-commit, not execute_query: a down server must fail now, not after retries.
            await self.run_auto_commit("RETURN 1 AS ok")
        except AuthError as exc:
            raise DatabaseUnavailable(
                f"neo4j at {self.uri} rejected the credentials: {exc.message}"
            ) from exc
        except ServiceUnavailable as exc:
            cause = exc.__cause__ or exc
            raise DatabaseUnavailable(f"neo4j at {self.uri} is unreachable: {cause}") from exc
        except OSError as exc:
            raise DatabaseUnavailable(f"neo4j at {self.uri} is unreachable: {exc}") from exc

    async def read(
        self, cypher: LiteralString, params: Mapping[str, Any] | None = None
    ) -> list[Record]:
        self.round_trips += 1
        with outage_guard():
            records, _, _ = await self._driver.execute_query(
                cypher, parameters_=dict(params or {}), database_=self.database, routing_="r"
            )
        return [plain_record(record) for record in records]

    async def write(
        self, cypher: LiteralString, params: Mapping[str, Any] | None = None
    ) -> list[Record]:
        self.round_trips += 1
        self.write_round_trips += 1
        with outage_guard():
            records, _, _ = await self._driver.execute_query(
                cypher, parameters_=dict(params or {}), database_=self.database, routing_="w"
            )
        return [plain_record(record) for record in records]

    async def run_auto_commit(
        self, cypher: LiteralString, params: Mapping[str, Any] | None = None
    ) -> list[Record]:
        """An implicit (auto-commit) transaction: needed for ``CALL {...} IN TRANSACTIONS``."""
        self.round_trips += 1
        self.write_round_trips += 1
        with outage_guard():
            async with self._session("WRITE") as session:
                result = await session.run(cypher, dict(params or {}))
                return [plain_record(record) async for record in result]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """An explicit write transaction: committed when the block ends, rolled back on error."""
        with outage_guard():
            async with self._session("WRITE") as session:
                tx = await session.begin_transaction()
                wrapped = Tx(tx, self, write=True)
                try:
                    yield wrapped
                except BaseException:
                    await tx.rollback()
                    raise
                else:
                    if not wrapped.closed:
                        await tx.commit()

    @asynccontextmanager
    async def read_transaction(self) -> AsyncIterator[Tx]:
        """Several reads that must see one snapshot; READ mode, so a follower may serve it."""
        with outage_guard():
            async with self._session("READ") as session:
                tx = await session.begin_transaction()
                try:
                    yield Tx(tx, self)
                finally:
                    await tx.close()

    def _session(self, mode: Literal["READ", "WRITE"]) -> AsyncSession:
        """A session in ``mode`` that joins this process's causal chain (shared bookmarks)."""
        return self._driver.session(
            database=self.database,
            default_access_mode=mode,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )


class Tx:
    """A transaction that counts its queries like Database does."""

    def __init__(
        self, tx: AsyncTransaction | AsyncManagedTransaction, db: Database, write: bool = False
    ) -> None:
        self._tx = tx
        self._db = db
        self.write = write
        self.closed = False

    async def run(
        self, cypher: LiteralString, params: Mapping[str, Any] | None = None
    ) -> list[Record]:
        self._db.round_trips += 1
        if self.write:
            self._db.write_round_trips += 1
        with outage_guard():
            result = await self._tx.run(cypher, dict(params or {}))
            return [plain_record(record) async for record in result]

    async def commit(self) -> None:
        if isinstance(self._tx, AsyncTransaction):
            with outage_guard():
                await self._tx.commit()
        self.closed = True

    async def rollback(self) -> None:
        if isinstance(self._tx, AsyncTransaction):
            await self._tx.rollback()
        self.closed = True

"""The integrators' API: the change feed (query and subscription) and webhooks.

Thin resolvers over ``asan.integration`` (reads and use cases); what a caller may see of the
feed is decided there, by the registry's read policy. See docs/integration.md.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from asan.core.errors import BadInput
from asan.graphql.change_kinds import ChangeEntityKind
from asan.graphql.errors import UserError
from asan.graphql.mutation import attempt
from asan.graphql.org import ClauseNode, OrgUnitNode
from asan.graphql.registry.nodes import (
    AsanCentreNode,
    InformationSystemNode,
    MobileBusNode,
    ServiceNode,
    StateBodyNode,
)
from asan.graphql.relay import MAX_PAGE
from asan.graphql.request import platform_of as _platform
from asan.graphql.request import principal_of as _principal
from asan.integration import reads, use_cases
from asan.integration.feed import FeedEvent, FeedPage, encode_cursor
from asan.integration.models import Webhook as WebhookModel
from asan.integration.models import WebhookChange, WebhookInput

SUBSCRIPTION_BATCH = 100


@strawberry.enum(description="What happened to the entity.")
class ChangeOperation(enum.Enum):
    CREATED = strawberry.enum_value("created", description="It was created.")
    UPDATED = strawberry.enum_value("updated", description="Fields changed (see `fields`).")
    STATUS_CHANGED = strawberry.enum_value(
        "status_changed", description="Its lifecycle status changed."
    )
    DELETED = strawberry.enum_value(
        "deleted", description="It no longer exists (a tombstone for readers of public data)."
    )
    WITHDRAWN = strawberry.enum_value(
        "withdrawn",
        description="Tombstone: a once-published service that left public view (withdrawn).",
    )


_NODES: dict[str, Any] = {
    "Service": ServiceNode,
    "StateBody": StateBodyNode,
    "InformationSystem": InformationSystemNode,
    "AsanCentre": AsanCentreNode,
    "MobileBus": MobileBusNode,
    "OrgUnit": OrgUnitNode,
    "Clause": ClauseNode,
}


@strawberry.type(
    name="ChangeEvent",
    description=(
        "One committed change, as this caller may see it. Events say WHAT changed; the current "
        "state is read through `node`. A tombstone (`tombstone: true`) carries no fields and no "
        "node: remove the entity from a copy."
    ),
)
class ChangeEventType:
    seq: int = strawberry.field(description="Position in the change log (gapless, commit order).")
    cursor: str = strawberry.field(description="Resume after this event (`changes(after:)`).")
    at: datetime = strawberry.field(description="When the change was committed (UTC).")
    kind: ChangeEntityKind = strawberry.field(description="Kind of entity changed.")
    entity_id: str = strawberry.field(description="The entity's code or id (Service.code, ...).")
    operation: ChangeOperation = strawberry.field(description="What happened.")
    fields: list[str] = strawberry.field(description="API names of the fields that changed.")
    tombstone: bool = strawberry.field(
        description="The entity left this caller's view (withdrawn or deleted)."
    )
    log_kind: strawberry.Private[str]

    @classmethod
    def of(cls, event: FeedEvent) -> ChangeEventType:
        return cls(
            seq=event.seq,
            cursor=event.cursor,
            at=event.at,
            kind=ChangeEntityKind[event.kind_name],
            entity_id=event.entity_id,
            operation=ChangeOperation(event.operation),
            fields=list(event.fields),
            tombstone=event.tombstone,
            log_kind=event.kind,
        )

    @strawberry.field(description="Global id of the entity for `node(id:)`, where it is a Node.")
    def node_id(self) -> strawberry.ID | None:
        cls = _NODES.get(self.log_kind)
        if cls is None or self.tombstone:
            return None
        name = cls.__strawberry_definition__.name
        return strawberry.ID(str(relay.GlobalID(type_name=name, node_id=self.entity_id)))

    @strawberry.field(
        description="The entity's CURRENT state as this caller may read it (null for tombstones, "
        "kinds that are not Nodes, and entities the caller may no longer read)."
    )
    async def node(self, info: Info) -> relay.Node | None:
        cls = _NODES.get(self.log_kind)
        if cls is None or self.tombstone:
            return None
        found = await cls.resolve_nodes(info=info, node_ids=[self.entity_id])
        return found[0] if found else None


@strawberry.type(name="ChangeEventEdge", description="A change event and its cursor.")
class ChangeEventEdge:
    cursor: str = strawberry.field(description="Resume after this event.")
    node: ChangeEventType = strawberry.field(description="The event.")


@strawberry.type(
    name="ChangeConnection",
    description=(
        "A page of the change feed. `pageInfo.endCursor` is where to resume: it moves past "
        "events this caller may not see too, so resuming never rescans them."
    ),
)
class ChangeConnection:
    edges: list[ChangeEventEdge] = strawberry.field(description="The visible events, in order.")
    page_info: relay.PageInfo = strawberry.field(
        description="Where to resume (endCursor); hasNextPage: the log has entries after it."
    )
    head_cursor: str = strawberry.field(
        description="The change log's head when this page was read."
    )


def _connection(page: FeedPage, after: str | None) -> ChangeConnection:
    edges = [ChangeEventEdge(cursor=e.cursor, node=ChangeEventType.of(e)) for e in page.events]
    return ChangeConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=page.has_more,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=encode_cursor(page.last_seq),
        ),
        head_cursor=encode_cursor(page.head),
    )


@strawberry.type(
    name="Webhook",
    description=(
        "A state body's subscriber: signed deliveries of change events to an HTTPS endpoint, "
        "in order, retried with backoff; its cursor advances only on a 2xx answer."
    ),
)
class WebhookType:
    id: strawberry.ID = strawberry.field(description="The webhook's id (wh_...).")
    state_body: str = strawberry.field(description="Code of the state body that owns it.")
    url: str = strawberry.field(description="The HTTPS endpoint deliveries are posted to.")
    kinds: list[ChangeEntityKind] = strawberry.field(
        description="Kinds delivered (empty: every kind the body may see)."
    )
    active: bool = strawberry.field(description="Deliveries are made (false: paused).")
    cursor: str = strawberry.field(description="Feed cursor of the last event it acknowledged.")
    cursor_lag: int = strawberry.field(
        description="Change-log entries after its cursor (not all may be for it)."
    )
    last_attempt_at: datetime | None = strawberry.field(description="Last delivery attempt.")
    last_delivery_at: datetime | None = strawberry.field(description="Last 2xx delivery.")
    last_status: int | None = strawberry.field(description="HTTP status of the last attempt.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    consecutive_failures: int = strawberry.field(description="Failed attempts since the last 2xx.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the batch that failed is tried again (backoff)."
    )
    delivered: int = strawberry.field(description="Events delivered with a 2xx answer so far.")

    @classmethod
    def of(cls, w: WebhookModel, head: int) -> WebhookType:
        return cls(
            id=strawberry.ID(w.id),
            state_body=w.state_body,
            url=w.url,
            kinds=[ChangeEntityKind[k] for k in w.kinds],
            active=w.active,
            cursor=encode_cursor(w.cursor),
            cursor_lag=max(0, head - w.cursor),
            last_attempt_at=w.last_attempt_at,
            last_delivery_at=w.last_delivery_at,
            last_status=w.last_status,
            last_error=w.last_error,
            consecutive_failures=w.consecutive_failures,
            next_attempt_at=w.next_attempt_at,
            delivered=w.delivered,
        )


def _kind_names(kinds: list[Any] | None) -> list[str] | None:
    return [k.value for k in kinds] if kinds else None


First = Annotated[
    int | None, strawberry.argument(description=f"Events per page, 0..{MAX_PAGE} (default 20).")
]
After = Annotated[
    str | None,
    strawberry.argument(description="A cursor from this feed; none: from the log's start."),
]
Kinds = Annotated[
    list[ChangeEntityKind] | None,
    strawberry.argument(description="Only these kinds (none: every kind you may see)."),
]


@strawberry.type
class IntegrationQuery:
    @strawberry.field(
        description=(
            "The change feed: committed changes in commit order, as you may see them (public "
            "callers: published data, and tombstones for withdrawn services). Cursors are "
            "stable across restarts."
        )
    )
    async def changes(
        self, info: Info, first: First = None, after: After = None, kinds: Kinds = None
    ) -> ChangeConnection:
        size = 20 if first is None else first
        if size < 0 or size > MAX_PAGE:
            raise BadInput(
                f"first 0..{MAX_PAGE} olmalıdır / first must be 0..{MAX_PAGE}", field="first"
            )
        page = await reads.changes(
            _platform(info), _principal(info), after, size, _kind_names(kinds)
        )
        return _connection(page, after)

    @strawberry.field(
        description=(
            "Cursor of the change log's head now: read it, take a snapshot of the lists, then "
            "follow `changes(after:)` from it without a gap."
        )
    )
    async def changes_head(self, info: Info) -> str:
        return encode_cursor(await reads.head(_platform(info)))

    @strawberry.field(
        description="Webhooks of a state body (default: your own body); administrators: all."
    )
    async def webhooks(
        self,
        info: Info,
        state_body: Annotated[
            str | None, strawberry.argument(description="Code of the state body.")
        ] = None,
    ) -> list[WebhookType]:
        platform = _platform(info)
        found = await reads.webhooks(platform, _principal(info), state_body)
        head = await reads.head(platform)
        return [WebhookType.of(w, head) for w in found]


@strawberry.type
class IntegrationSubscription:
    @strawberry.subscription(
        description=(
            "The change feed, live: replays the events after `after` (none: only new ones), "
            "then each new committed change you may see. Resume with the last event's cursor."
        )
    )
    async def changes(
        self,
        info: Info,
        after: Annotated[
            str | None,
            strawberry.argument(description="A feed cursor; none: start at the head now."),
        ] = None,
        kinds: Kinds = None,
    ) -> AsyncGenerator[ChangeEventType, None]:
        platform, principal = _platform(info), _principal(info)
        names = _kind_names(kinds)
        if after is None:
            after = encode_cursor(await reads.head(platform))
        cursor = after
        poll = platform.settings.webhook_poll_seconds
        while True:
            page = await reads.changes(platform, principal, cursor, SUBSCRIPTION_BATCH, names)
            for event in page.events:
                info.context.loaders.clear()  # each event's node is read fresh
                yield ChangeEventType.of(event)
            cursor = encode_cursor(page.last_seq)
            if not page.has_more:
                await asyncio.sleep(poll)  # polls the log's head; no commit hook exists


# --- webhooks -----------------------------------------------------------------------------


@strawberry.input(description="Register a state body's HTTPS endpoint for change events.")
class RegisterWebhookInput:
    state_body: str = strawberry.field(description="Code of your state body.")
    url: str = strawberry.field(description="HTTPS URL on a public address; no redirects.")
    kinds: list[ChangeEntityKind] = strawberry.field(
        default_factory=list, description="Kinds to deliver (empty: every kind you may see)."
    )
    after: str | None = strawberry.field(
        default=None, description="Start after this feed cursor (default: the head now)."
    )


@strawberry.input(description="Change a webhook's URL, kinds or pause it.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="The webhook's id.")
    url: str | None = strawberry.field(default=None, description="A new HTTPS URL.")
    kinds: list[ChangeEntityKind] | None = strawberry.field(
        default=None, description="New kinds (empty: every kind)."
    )
    active: bool | None = strawberry.field(
        default=None, description="false pauses deliveries; true resumes at once."
    )


@strawberry.input(description="Names one webhook.")
class WebhookIdInput:
    id: strawberry.ID = strawberry.field(description="The webhook's id.")


@strawberry.type(description="A webhook and its signing secret (shown only here, once).")
class WebhookSecretPayload:
    webhook: WebhookType | None = strawberry.field(description="The webhook.")
    secret: str | None = strawberry.field(
        description="HMAC-SHA256 key for X-Asan-Signature; store it, it is not shown again."
    )
    user_errors: list[UserError] = strawberry.field(description="Problems with the input.")


@strawberry.type(description="A webhook after the change.")
class WebhookPayload:
    webhook: WebhookType | None = strawberry.field(description="The webhook.")
    user_errors: list[UserError] = strawberry.field(description="Problems with the input.")


INPUT = strawberry.argument(description="The mutation's fields; see the input type.")


async def _head(info: Info) -> int:
    return await reads.head(_platform(info))


@strawberry.type
class IntegrationMutation:
    @strawberry.mutation(description="Register a webhook; the answer carries its secret once.")
    async def register_webhook(
        self, info: Info, input: Annotated[RegisterWebhookInput, INPUT]
    ) -> WebhookSecretPayload:
        raw = WebhookInput(
            state_body=input.state_body,
            url=input.url,
            kinds=tuple(_kind_names(input.kinds) or ()),
            after=input.after,
        )
        done, errors = await attempt(
            lambda: use_cases.register_webhook(_platform(info), _principal(info), raw)
        )
        if done is None:
            return WebhookSecretPayload(webhook=None, secret=None, user_errors=errors)
        return WebhookSecretPayload(
            webhook=WebhookType.of(done.webhook, await _head(info)),
            secret=done.secret,
            user_errors=[],
        )

    @strawberry.mutation(description="Change a webhook's URL or kinds, pause or resume it.")
    async def update_webhook(
        self, info: Info, input: Annotated[UpdateWebhookInput, INPUT]
    ) -> WebhookPayload:
        raw = WebhookChange(
            id=str(input.id),
            url=input.url,
            kinds=tuple(_kind_names(input.kinds) or ()) if input.kinds is not None else None,
            active=input.active,
        )
        done, errors = await attempt(
            lambda: use_cases.update_webhook(_platform(info), _principal(info), raw)
        )
        webhook = WebhookType.of(done, await _head(info)) if done is not None else None
        return WebhookPayload(webhook=webhook, user_errors=errors)

    @strawberry.mutation(description="Delete a webhook; deliveries stop at once.")
    async def delete_webhook(
        self, info: Info, input: Annotated[WebhookIdInput, INPUT]
    ) -> WebhookPayload:
        done, errors = await attempt(
            lambda: use_cases.delete_webhook(_platform(info), _principal(info), str(input.id))
        )
        webhook = WebhookType.of(done, await _head(info)) if done is not None else None
        return WebhookPayload(webhook=webhook, user_errors=errors)

    @strawberry.mutation(description="A new signing secret (shown once); the old one stops.")
    async def rotate_webhook_secret(
        self, info: Info, input: Annotated[WebhookIdInput, INPUT]
    ) -> WebhookSecretPayload:
        done, errors = await attempt(
            lambda: use_cases.rotate_webhook_secret(
                _platform(info), _principal(info), str(input.id)
            )
        )
        if done is None:
            return WebhookSecretPayload(webhook=None, secret=None, user_errors=errors)
        return WebhookSecretPayload(
            webhook=WebhookType.of(done.webhook, await _head(info)),
            secret=done.secret,
            user_errors=[],
        )


QUERIES: list[type] = [IntegrationQuery]
MUTATIONS: list[type] = [IntegrationMutation]
SUBSCRIPTIONS: list[type] = [IntegrationSubscription]

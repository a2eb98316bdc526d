"""GraphQL root fields of the registry domain: thin resolvers that call the domain service.

``asan/graphql/schema.py`` merges ``QUERIES`` and ``MUTATIONS``. The package splits by job:
``enums``, ``objects`` (plain value types), ``nodes`` (relay nodes and their field resolvers),
``impact``, ``inputs``, ``payloads``, ``loaders`` (per-request DataLoaders), ``queries`` (root
query fields), ``mutations`` (root mutation fields) and ``reference`` (shared entries).

Reads call the catalog's read use cases (``asan.registry.catalog.queries``, which apply what the
caller may see) through per-request DataLoaders, so a nested query costs one Cypher round trip
per level, however many parents it has; a service read brings its provider along and primes
the state-body loader with it. Mutations call
``asan.registry.catalog.service`` (authorize -> write -> audit in one unit of work) and turn
input problems into ``userErrors``; a refusal stays a GraphQL error.
"""

from __future__ import annotations

from asan.graphql.registry.mutations import RegistryMutation
from asan.graphql.registry.queries import RegistryQuery
from asan.graphql.registry.reference import ReferenceMutation
from asan.graphql.registry.registration import RegistrationMutation, RegistrationQuery

QUERIES: list[type] = [RegistryQuery, RegistrationQuery]
MUTATIONS: list[type] = [RegistryMutation, ReferenceMutation, RegistrationMutation]

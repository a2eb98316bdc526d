"""Seed data loaded by ``make run``: reference data every install needs, plus sample data.

Each loader is idempotent and returns one line saying what it did. Reference loaders run
always; sample loaders only with ``sample=True`` (never in production).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asan.archive.sample.loader import load_sample_archive
from asan.auth.demo import load_demo_users
from asan.core.platform import Platform
from asan.edms.appeals.sample import load_sample_appeals
from asan.edms.sample.loader import load_sample_documents
from asan.registry.catalog.sample import load_sample_registry
from asan.registry.org.seed import import_regulations

Loader = Callable[[Platform], Awaitable[str]]

REFERENCE_LOADERS: list[Loader] = [import_regulations]
SAMPLE_LOADERS: list[Loader] = []


async def load_seed(platform: Platform, *, sample: bool = True) -> list[str]:
    lines = [await loader(platform) for loader in REFERENCE_LOADERS]
    if sample and not platform.settings.is_production:
        lines += [await loader(platform) for loader in SAMPLE_LOADERS]
    return lines


# The sample services registry (data/sample-registry.json, every node marked sample: true).
SAMPLE_LOADERS.append(load_sample_registry)

# Local demo users (documented in asan/auth/demo.py); sample data, so never in production.
# After the registry: an account may only name a state body that exists (demo.editor: DIN).
SAMPLE_LOADERS.append(load_demo_users)

# Sample citizens' appeals in every state and a reception sitting (asan/edms/appeals/sample.py):
# after the regulations (DEPT-IT), the registry (ASAN centres, bodies) and the demo users.
SAMPLE_LOADERS.append(load_sample_appeals)

# Sample documents in every state of their way (asan/edms/sample/): after the appeals, made by
# the demo users of the EDMS roles through the parts' real use cases.
SAMPLE_LOADERS.append(load_sample_documents)

# The archive's sample (asan/archive/sample/): nomenclatures of three years, cases in every
# step of their lifecycle, files in the Object Lock bucket; after the EDMS sample, whose
# registered documents it files into this year's cases.
SAMPLE_LOADERS.append(load_sample_archive)

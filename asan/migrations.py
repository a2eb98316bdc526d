"""Every domain's migrations, in the order they must apply.

Adding a domain: give it ``asan/<domain>/migrations.py`` with a ``MIGRATIONS`` list and add it
here after the domains it depends on.
"""

from asan.core import core_migrations
from asan.core.migrations import Migration


def all_migrations() -> list[Migration]:
    return [*core_migrations.MIGRATIONS]

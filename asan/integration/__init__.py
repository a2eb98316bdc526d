"""Integrators' side of the registry: the change feed, its subscription and webhooks.

Importing the package registers its policy rules (``policy.py``), as the catalog does, and
imports the catalog so that the read rules the feed judges events by exist in any process
(the ``asan webhooks deliver`` worker imports nothing else of the catalog).
"""

import asan.registry.catalog as _catalog  # noqa: F401 - registers the catalog's read rules
from asan.integration import policy as policy

"""Integrators' side of the registry: the change feed, its subscription and webhooks.

Importing the package registers its policy rules (``policy.py``), as the catalog does.
"""

from asan.integration import policy as policy

"""The services catalog; importing it registers its policy rules."""

from asan.registry.catalog import policy as policy

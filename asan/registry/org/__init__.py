"""The org structure; importing it registers its policy rules."""

from asan.registry.org import policy as policy

"""Dispatch (göndəriş): mailing lists, the dispatch register, inter-agency delivery.

Importing the package registers its policy rules. See docs/edms-dispatch.md.
"""

from asan.edms.dispatch import policy as policy

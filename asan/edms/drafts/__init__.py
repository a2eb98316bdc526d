"""Drafts and visas (issue 10, point 4): drafts of outgoing, internal and order documents,
their addressees, visa routes, visas, new versions and the registrar's form check.

Importing the package registers its policy rules.
"""

from asan.edms.drafts import policy as policy  # registers the rules

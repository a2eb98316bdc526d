"""Signatures (issue 10, point 5): PAdES for PDFs, detached JWS for other files, the agency PKI.

Importing the package registers its policy rule.
"""

from asan.edms.signatures import policy as policy

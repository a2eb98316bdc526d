"""Certified copies (əslinə uyğun surətlər): made, signed, verifiable by anyone holding one.

Importing the package registers its policy rule. See docs/edms-dispatch.md.
"""

from asan.edms.copies import policy as policy

"""Citizens' appeals under the law on citizens' appeals (No. 1308-IVQ of 2015): registration in
the appeal journals, terms in working days, answer, forwarding, extension, repeats.

Imported by ``asan.edms`` so its policy rules and its state table exist before the first use.
"""

from asan.edms.appeals import flows as flows
from asan.edms.appeals import policy as policy

"""The leadership's reception of citizens (vətəndaş qəbulu): the schedule of who receives when
and where, and visitors registered with the official competent for their matter; a visitor's
matter may become a citizen's appeal (channel ``reception``).

Imported by ``asan.edms`` so its policy rules exist before the first use.
"""

from asan.edms.reception import policy as policy

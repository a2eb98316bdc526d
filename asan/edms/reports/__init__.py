"""Reports of the record keeping (issue 10, point 9): execution discipline per unit, monthly
incoming appeals per ASAN centre, the annual summary; GraphQL queries and CSV / PDF downloads.

Imported by ``asan.edms`` so its policy rule exists before the first read.
"""

from asan.edms.reports import policy as policy

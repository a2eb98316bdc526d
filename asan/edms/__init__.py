"""Electronic document management (issue 10): one sub-package per entity.

Importing this package imports every part, so their policy rules exist before the first
check; each part adds its one import line below.
"""

from asan.edms import appeals as appeals
from asan.edms import copies as copies
from asan.edms import dispatch as dispatch
from asan.edms import documents as documents
from asan.edms import drafts as drafts
from asan.edms import files as files
from asan.edms import reception as reception
from asan.edms import reports as reports
from asan.edms import resolutions as resolutions
from asan.edms import signatures as signatures

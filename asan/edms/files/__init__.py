"""Document files in the object store (MinIO): versions, uploads, downloads, processing.

Importing the package registers its policy rules.
"""

from asan.edms.files import policy as policy

"""Archived files in the Object Lock bucket: retention enforced by MinIO itself, legal holds.

MinIO, not this code, refuses a deletion or an overwrite before the retain-until date
(COMPLIANCE mode), whoever asks; this package only puts records there correctly and reads
back what MinIO keeps.
"""

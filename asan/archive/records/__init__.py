"""Archived records: each file version of a case copied into the Object Lock bucket."""

"""Holds on cases for litigation or investigation: placed and lifted with a reason, audited,
applied as MinIO legal holds on every archived version of the case."""

"""Interchange formats of the published registry (CPSV-AP 3.2 JSON-LD)."""

"""The sample registry that ``make run`` loads (``loader``) and its Cypher (``repository``)."""

from asan.registry.catalog.sample.loader import (
    LOAD_ACTION,
    SAMPLE_FILE,
    load_sample_registry,
    read_sample,
)

__all__ = ["LOAD_ACTION", "SAMPLE_FILE", "load_sample_registry", "read_sample"]

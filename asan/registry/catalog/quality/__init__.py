"""Service quality index: how well each service (and each body) is described and reachable.

Scoring is pure (scoring); the facts are read from the graph in one query per batch
(repository).
"""

from asan.registry.catalog.quality.repository import (
    body_quality,
    service_quality,
)
from asan.registry.catalog.quality.scoring import (
    CRITERIA,
    MAX_SCORE,
    BodyQuality,
    Criterion,
    CriterionCoverage,
    CriterionResult,
    ServiceFacts,
    ServiceQuality,
    grade,
    score_service,
    summarize_body,
)

__all__ = [
    "CRITERIA",
    "MAX_SCORE",
    "BodyQuality",
    "Criterion",
    "CriterionCoverage",
    "CriterionResult",
    "ServiceFacts",
    "ServiceQuality",
    "body_quality",
    "grade",
    "score_service",
    "service_quality",
    "summarize_body",
]

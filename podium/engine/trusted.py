"""The explicit allow-list of types a Podium artifact may contain beyond skops' own defaults.

Loading refuses any other type skops reports as untrusted. Extend this list only with types
the engine itself puts into pipelines (a contract test saves every model and checks it).
"""

from __future__ import annotations

TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        # podium's own estimators
        "podium.engine.transformers.DateParts",
        "podium.engine.transformers.EncodedClassifier",
        "podium.engine.transformers.TextCleaner",
    }
)

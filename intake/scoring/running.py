"""The running measure: UWRI (University of Wisconsin Running Injury and Recovery Index)."""

from __future__ import annotations

from .base import Measure, _numbered

UWRI = Measure(
    code="UWRI",
    name="University of Wisconsin Running Injury and Recovery Index",
    items=_numbered(9),  # Nelson 2019, JOSPT 49:751: 9 items
    labels=(
        "Daily tasks",
        "Frustration",
        "Perceived recovery",
        "Pain during running",
        "Pain after running",
        "Weekly running volume",
        "Typical run distance",
        "Running pace",
        "Confidence to increase running",
    ),
    item_range=(0, 4),  # Nelson 2019, JOSPT 49:751: per-item 0–4 (verify)
    maximum=36,  # Nelson 2019, JOSPT 49:751: sum 0–36
    higher_is_better=True,
    mcid=8,  # Nelson 2020, JOSPT 50:702: MCID 8 (MIC 5, SEM 1.47)
    # Missing-item rule: none confirmed (DOMAIN.md "verify"), so every item is required.
    sources=("Nelson 2019, JOSPT 49:751", "Nelson 2020, JOSPT 50:702"),
)

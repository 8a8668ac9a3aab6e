"""Measures for any region: NPRS (pain) and PSFS (the patient's own activities)."""

from __future__ import annotations

from .base import Measure, _numbered

NPRS = Measure(
    code="NPRS",
    name="Numeric Pain Rating Scale",
    items=("1",),
    labels=("Pain rating",),
    item_range=(0, 10),  # Salaffi 2004, Eur J Pain 8:283: 0 = no pain … 10 = worst imaginable
    anchors=("no pain", "worst pain imaginable"),  # Salaffi 2004 (DOMAIN.md §1)
    maximum=10,  # Salaffi 2004, Eur J Pain 8:283
    higher_is_better=False,
    # Salaffi 2004, Eur J Pain 8:283: a 2-point or a 33 % drop ≈ "much better", either one
    # (DOMAIN.md section 1: 3 → 2 counts); the baseline-dependent MCID (≈1 for 1–4, 2 for
    # 5–7, 3–4 for 8–10) is not applied here.
    mcid=2,
    relative_mcid=0.33,
    sources=("Salaffi 2004, Eur J Pain 8:283",),
)

PSFS = Measure(
    code="PSFS",
    name="Patient-Specific Functional Scale",
    items=_numbered(5),  # Stratford 1995: up to 3 activities, some forms 5
    labels=tuple(f"Activity {number}" for number in range(1, 6)),
    item_range=(0, 10),  # Stratford 1995: 0 = unable … 10 = pre-injury level
    anchors=("unable", "pre-injury level"),  # Stratford 1995 (DOMAIN.md §1)
    maximum=10,  # Stratford 1995: mean of the rated activities, 0–10
    higher_is_better=True,
    mdc=2,  # Stratford 1995 (DOMAIN.md §1): MDC90 2 points for the mean (3 for one activity)
    rule="mean_of_rated",
    sources=("Stratford 1995",),
)

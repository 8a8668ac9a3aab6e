"""What the clinic's calendar books and what a treatment note records: visit types and the
catalogue of interventions, both edited by the clinic admin (defaults: intake.visit_catalogue).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from intake import visit_catalogue

# Data-entry bounds, not clinical ones: a booked visit is 10 minutes to 4 hours.
VISIT_MINUTES_MIN, VISIT_MINUTES_MAX = 10, 240


class VisitType(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=visit_catalogue.VISIT_KINDS)
    minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        validators=[MinValueValidator(VISIT_MINUTES_MIN), MaxValueValidator(VISIT_MINUTES_MAX)],
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=VISIT_MINUTES_MIN)
                & models.Q(minutes__lte=VISIT_MINUTES_MAX),
                name="visit_type_minutes_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.minutes} min)"


class InterventionType(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    cpt_code = models.CharField(
        "CPT code",
        max_length=5,
        blank=True,  # blank: recorded, not billed
        validators=[RegexValidator(r"^\d{5}$", "A CPT code is five digits.")],
    )
    timed = models.BooleanField(
        default=True, help_text="Billed per 15 minutes by the 8-minute rule; else 1 unit."
    )
    needs_consent = models.BooleanField(
        default=False, help_text="A signed consent must be on file first (dry needling)."
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cpt_code})" if self.cpt_code else self.name

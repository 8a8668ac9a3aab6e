"""Staff read labelled units and rounded values; no file names or field names reach a page."""

import datetime

import time_machine
from django.utils import timezone

from clinic.templatetags.clinic_tags import ago
from intake.summaries import _screen_pairs


def test_the_energy_answers_read_with_labels_units_and_rounding(settings):
    settings.DISTANCE_UNIT = "km"
    pairs = dict(
        _screen_pairs(
            {
                "triad_dietary_restriction": 0,
                "height_cm": 170.0,
                "weight_kg": 60.0,
                "triad_bmi": 20.761,
                "triad_menarche_age": 13,
                "night_rest_pain": False,
            }
        )
    )
    assert pairs == {
        "Limits eating to control weight": "No",
        "Height": "170 cm",
        "Weight": "60 kg",
        "BMI": "20.8 kg/m²",
        "Age at first period": "13 years",
        "Night or rest pain": "No",
    }


def test_a_moment_ago_reads_just_now_not_zero_minutes():
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert ago(now - datetime.timedelta(seconds=20)) == "just now"
        assert ago(now - datetime.timedelta(minutes=5)) == "5\xa0minutes ago"


def test_height_and_weight_read_in_us_units_when_the_clinic_uses_miles(settings):
    settings.DISTANCE_UNIT = "mi"
    pairs = dict(_screen_pairs({"height_cm": 170.2, "weight_kg": 59.9}))
    assert pairs == {"Height": "5 ft 7 in", "Weight": "132 lb"}

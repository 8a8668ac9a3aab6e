"""One unit setting (CLINIC_DISTANCE_UNIT) decides every distance, speed, height and weight a
person types or reads; everything is stored in SI."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from clinic import units
from intake.forms.evaluations import GaitForm
from intake.forms.questionnaires import RedFlagScreenForm
from intake.models import GaitAnalysis


def test_us_units_convert_exactly_both_ways():
    assert units.feet_inches_to_cm(5, 7) == Decimal("170.2")
    assert units.cm_to_feet_inches(170.2) == (5, 7)
    assert units.pounds_to_kg(Decimal("132")) == Decimal("59.9")
    assert units.kg_to_pounds(59.9) == Decimal("132")


@pytest.mark.parametrize(
    ("unit", "typed", "stored", "label"),
    [
        ("mi", "6.5", Decimal("10.5"), "Speed (mph)"),
        ("km", "10.5", Decimal("10.5"), "Speed (km/h)"),
    ],
)
def test_the_gait_speed_is_typed_in_the_clinics_unit_and_stored_in_kmh(
    settings, unit, typed, stored, label
):
    settings.DISTANCE_UNIT = unit
    form = GaitForm({"speed": typed}, instance=GaitAnalysis())
    assert form.fields["speed"].label == label
    assert form.is_valid(), form.errors
    assert form.instance.speed_kmh == stored


def test_an_impossible_speed_is_refused_in_the_clinics_unit(settings):
    settings.DISTANCE_UNIT = "mi"
    form = GaitForm({"speed": "40"}, instance=GaitAnalysis())
    assert not form.is_valid()
    assert form.errors["speed"] == ["A running speed is between 0.6 and 18.6 mph; please check it."]


def test_a_stored_speed_is_shown_again_in_the_clinics_unit(settings):
    settings.DISTANCE_UNIT = "mi"
    form = GaitForm(instance=GaitAnalysis(speed_kmh=Decimal("10.5")))
    assert form.initial["speed"] == Decimal("6.5")
    shown = Template("{% load clinic_tags %}{{ v|speed }}").render(Context({"v": Decimal("10.5")}))
    assert shown == "6.5 mph"


def test_the_questionnaire_asks_height_and_weight_in_feet_inches_and_pounds(settings):
    settings.DISTANCE_UNIT = "mi"
    data = {
        "triad_dietary_restriction": "0",
        "height_ft": "5",
        "height_in": "7",
        "weight_lb": "132",
    }
    form = RedFlagScreenForm(data, include_triad=True, for_staff=False)
    assert "height_cm" not in form.fields and form.fields["weight_lb"].label == "Weight (pounds)"
    form.is_valid()
    answers = form.answers()
    assert (answers["height_cm"], answers["weight_kg"]) == (170.2, 59.9)
    assert "height_ft" not in answers
    again = RedFlagScreenForm.initial_from(answers)
    assert (again["height_ft"], again["height_in"], again["weight_lb"]) == (5, 7, Decimal("132"))


@pytest.mark.parametrize(("unit", "shown"), [("mi", "1 mile"), ("km", "1.6 km")])
def test_a_stage_distance_reads_the_same_on_every_page(settings, unit, shown):
    settings.DISTANCE_UNIT = unit
    template = Template("{% load clinic_tags %}{{ km|distance }}")
    assert template.render(Context({"km": "1.61"})) == shown

"""Outcome measures in the evaluation editor show each item's scale and a running total
(they showed neither, and a clinician could not tell what a 0 or a 4 meant).

The scale's words come from intake/scoring/ (DOMAIN.md section 1); a measure whose items
have no published anchors in the project's sources shows the range of points only. The
total is computed on the server when the page is drawn with values, and again in the
browser (static/js/outcome-total.js) as the clinician types; e2e/ checks the typing.
"""

import re

import pytest
from django.urls import reverse

from intake import scoring
from intake.models import Evaluation

from .helpers import page_data

LEFS_LOW = "0 = extreme difficulty or unable to perform the activity"
LEFS_HIGH = "4 = no difficulty"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ------------------------------------------------------------------ the pure helpers


def test_the_lefs_scale_names_what_0_and_4_mean():
    scale = scoring.item_scale("LEFS")
    assert LEFS_LOW in scale and LEFS_HIGH in scale


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("NPRS", ("0 = no pain", "10 = worst pain imaginable")),
        ("FAAM-ADL", ("0 = unable", "4 = no difficulty", "blank for N/A")),
        ("FAAM-SPORTS", ("0 = unable", "4 = no difficulty", "blank for N/A")),
        ("PSFS", ("0 = unable", "10 = pre-injury level")),
        # No per-item anchors in the project's sources: the points only, nothing invented.
        ("UWRI", ("0–4 points",)),
        ("VISA-A", ("0–10 points", "only one of 8A, 8B, 8C")),
        ("AKPS", ("points listed",)),
    ],
)
def test_every_measure_has_a_scale_and_only_the_sources_words(code, words):
    scale = scoring.item_scale(code)
    for word in words:
        assert word in scale, scale
    spec = scoring.get_measure(code)
    if not spec.anchors:
        assert "=" not in scale  # no meaning given to a number the sources do not give


def test_the_running_total_sums_what_is_answered_and_counts_it():
    answers = {"1": 4, "2": 3, "3": None, "4": 2}
    total = scoring.running_total("LEFS", answers)
    assert (total.points, total.answered, total.expected) == (9, 3, 20)
    assert total.text == "9 / 80 (3 of 20 answered)"
    full = scoring.running_total("LEFS", {str(i): 3 for i in range(1, 21)})
    assert full.text == "60 / 80 (20 of 20 answered)"
    # The same number the score gives once complete.
    assert full.points == scoring.score("LEFS", {str(i): 3 for i in range(1, 21)}).total


def test_entries_outside_the_scale_are_not_counted_and_say_so():
    total = scoring.running_total("LEFS", {"1": 4, "2": 7, "3": "x"})
    assert (total.points, total.answered) == (4, 1)
    assert total.text == "4 / 80 (1 of 20 answered; 2 entries not counted: outside 0–4)"


def test_visa_a_counts_item_8_once_and_faam_and_psfs_use_their_own_rules():
    visa = scoring.running_total("VISA-A", {"1": 10, "7": 7, "8B": 14})
    assert visa.text == "31 / 100 (3 of 8 answered)"
    two = scoring.running_total("VISA-A", {"8A": 30, "8B": 14})
    assert two.text == "44 / 100 (1 of 8 answered; answer only one of 8A, 8B, 8C)"
    faam = scoring.running_total("FAAM-SPORTS", {str(i): 3 for i in range(1, 8)})
    assert faam.text == "21 / 28 = 75.0 % (7 of 8 answered; at least 7 needed)"
    assert faam.text.split(" = ")[1].startswith(
        str(scoring.score("FAAM-SPORTS", {str(i): 3 for i in range(1, 8)}).percent)
    )
    assert scoring.running_total("FAAM-ADL", {}).text == "— (0 of 21 answered; at least 19 needed)"
    psfs = scoring.running_total("PSFS", {"1": 4, "2": 7})
    assert psfs.text == "mean 5.5 / 10 (2 activities rated)"
    assert scoring.running_total("PSFS", {}).text == "— (no activity rated)"
    assert scoring.running_total("NPRS", {"1": 3}) is None  # one item: no total to run


# ------------------------------------------------------------------ the editor


@pytest.fixture
def evaluation(client, clinician, patient):
    client.force_login(clinician)
    client.post(reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "initial"})
    return Evaluation.objects.get(patient=patient)


@pytest.mark.django_db
def test_the_opened_lefs_shows_its_scale_on_every_item_and_an_empty_total(client, evaluation):
    body = client.get(reverse("intake:outcome_measure_form", args=["LEFS"])).content.decode()
    text = _text(body)
    assert LEFS_LOW in text and LEFS_HIGH in text
    assert "Running total: 0 / 80 (0 of 20 answered)" in text
    inputs = re.findall(r"<input[^>]*name=\"om-LEFS-\d+\"[^>]*>", body)
    assert len(inputs) == 20
    for tag in inputs:  # each item carries its scale and points at the words
        assert 'min="0"' in tag and 'max="4"' in tag and 'placeholder="0–4"' in tag
        assert 'aria-describedby="om-LEFS-scale"' in tag and "data-om-item" in tag
    # Wired for the browser module by data attributes, no inline script (CSP).
    assert 'data-om-rule="all"' in body and 'data-om-maximum="80"' in body
    assert "<script" not in body


@pytest.mark.django_db
def test_stored_answers_are_totalled_on_the_server_when_the_editor_is_drawn(client, evaluation):
    editor = reverse("intake:evaluation_edit", args=[evaluation.pk])
    # 12 of 20 items: saved, unscored.
    data = page_data(**{f"om-LEFS-{i}": "3" for i in range(1, 13)})
    assert client.post(editor, data).status_code == 302
    page = client.get(editor).content.decode()
    assert "Running total: 36 / 80 (12 of 20 answered)" in _text(page)
    assert LEFS_LOW in _text(page)
    # The module that keeps the total up to date is loaded from static files.
    assert re.search(r'<script src="[^"]*js/outcome-total\.js"', page)

    # A page sent back with an error keeps the typed values and totals them.
    data["om-LEFS-13"] = "9"
    response = client.post(editor, data)
    assert response.status_code == 200
    assert "Running total: 36 / 80 (12 of 20 answered; 1 entry not counted: outside 0–4)" in _text(
        response.content.decode()
    )

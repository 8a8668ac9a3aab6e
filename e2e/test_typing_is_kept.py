"""The first hour in a real clinic, in a real browser: nothing a person typed is lost.

- A patient types their date of birth with a two-digit year ("3/4/85") into the plan link's
  date box: it opens the plan instead of costing one of the five tries.
- A clinician types notes and a grid value, then uploads a gait photo: both are still there
  (saved with the photo) after the page comes back.
- What a clinician typed in the evaluation editor or the plan editor survives the end of the
  session ("Log out" in another tab, the idle logoff): after logging in again they are back
  on the form, with their typing and a notice to review and save it; nothing is left in the
  browser's storage once it is saved, discarded, or the clinician logs out.
"""

from __future__ import annotations

import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from clinic.tests.factories import actor_for
from intake.models import Evaluation, GaitMedia, Measurement, Patient
from intake.services.evaluations import evaluation_start
from plans.models import Plan
from plans.services.links import plan_link_create

from .helpers import L, login, screenshot, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# ------------------------------------------------------------ the date-of-birth check


def test_a_two_digit_year_in_the_date_of_birth_opens_the_plan_and_costs_no_try(
    demo, live_server, new_context
):
    plan = Plan.objects.select_related("patient").get(patient__legal_first_name="Priya")
    plan.patient.date_of_birth = datetime.date(1985, 3, 4)
    plan.patient.save(update_fields=["date_of_birth"])
    link, token = plan_link_create(plan=plan, by=demo["clinician"], purpose="mail")
    page = new_context("phone").new_page()
    page.goto(f"{live_server.url}/p/{token}/")
    box = page.get_by_label(L("Your date of birth"))

    # A year that cannot be a birth year is explained on the page and costs nothing.
    box.press_sequentially("3/4/0185")
    page.get_by_role("button", name="Open my plan").click()
    expect(page.get_by_text("more than 120 years ago; please check the year")).to_be_visible()
    expect(page.get_by_text("tries left")).to_have_count(0)
    expect(box).to_have_value("0185-03-04")  # the entry is kept
    screenshot(page, "50-patient-plan-check-year")

    link.refresh_from_db()
    assert link.failed_checks == 0

    # A possible date that is not theirs costs a try, and says how it was read.
    box.press_sequentially("3/4/86")
    page.get_by_role("button", name="Open my plan").click()
    expect(
        page.get_by_text("March 4, 1986 does not match our records. 4 tries left.")
    ).to_be_visible()
    expect(box).to_have_value("1986-03-04")
    screenshot(page, "51-patient-plan-check-wrong")

    # Typed as people write it on paper; the date box sends the year as 0085.
    box.press_sequentially("3/4/85")
    assert box.input_value() == "0085-03-04"
    page.get_by_role("button", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your home exercises, Priya")
    link.refresh_from_db()
    assert link.failed_checks == 1 and link.locked_at is None


# ------------------------------------------------------------------ the gait upload


def _png(path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), "white")
    ImageDraw.Draw(image).line((160, 20, 150, 190), fill="navy", width=6)  # a leg, roughly
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


def test_a_gait_upload_keeps_what_was_typed_in_the_editor(
    demo, live_server, new_context, private_media, tmp_path
):
    clinician = demo["clinician"]
    jordan = Patient.objects.get(legal_first_name="Jordan")
    draft = evaluation_start(patient=jordan, kind="initial", actor=actor_for(clinician))
    photo = tmp_path / "side-view.png"
    _png(photo)

    page = new_context("desktop").new_page()
    login(page, live_server.url, "clinician", demo["password"])
    page.goto(f"{live_server.url}/evaluations/{draft.pk}/edit/")
    page.get_by_label(L("Objective findings")).fill("Left hip drops at midstance")
    page.locator("#id_m_rom_hip_flexion_l").fill("112")
    page.get_by_label(L("Photo or short video")).set_input_files(photo)
    page.get_by_role("button", name=re.compile(r"upload$", re.IGNORECASE)).click()

    expect(page.get_by_role("alert").filter(has_text="uploaded")).to_be_visible()
    expect(page.get_by_label(L("Objective findings"))).to_have_value("Left hip drops at midstance")
    expect(page.locator("#id_m_rom_hip_flexion_l")).to_have_value("112")
    gallery = page.locator("#sec-gait img")
    expect(gallery).to_have_count(1)
    assert gallery.evaluate("img => img.complete && img.naturalWidth") == 320
    draft.refresh_from_db()
    assert draft.objective_notes == "Left hip drops at midstance"
    assert Measurement.objects.get(evaluation=draft, key="rom_hip_flexion").left == "112"
    assert GaitMedia.objects.filter(evaluation=draft).count() == 1
    page.locator("#sec-gait").scroll_into_view_if_needed()
    screenshot(page, "52-evaluation-gait-uploaded")

    # A file that is not a photo: refused on the same page, the typing kept, nothing saved.
    page.get_by_label(L("Objective findings")).fill("Changed, then a bad file")
    fake = tmp_path / "notes.png"
    fake.write_text("<html>not a photo</html>")
    page.get_by_label(L("Photo or short video")).set_input_files(fake)
    page.get_by_role("button", name="Save and upload").click()
    expect(page.get_by_text("Choose the file again")).to_be_visible()
    expect(page.get_by_label(L("Objective findings"))).to_have_value("Changed, then a bad file")
    page.get_by_text("Choose the file again").scroll_into_view_if_needed()
    screenshot(page, "53-evaluation-gait-refused")
    draft.refresh_from_db()
    assert draft.objective_notes == "Left hip drops at midstance"
    assert GaitMedia.objects.filter(evaluation=draft).count() == 1


# ------------------------------------------------------------ drafts across a sign-out

RESTORED = "Restored what you typed before you were signed out \u2014 review and save."
TYPED = {  # six text values of the evaluation editor, by field id
    "#id_subjective": "Left knee aches after 8 miles, worse downhill",
    "#id_objective_notes": "Tender lateral femoral condyle",
    "#id_assessment": "Iliotibial band syndrome, irritable",
    "#id_plan_notes": "Load management, hip strength",
    "#id_gait-notes": "Crossover gait at 10 km/h",
    "#id_m_rom_hip_flexion_l": "112",
}
DRAFTS_IN_STORAGE = "() => Object.keys(sessionStorage).filter(k => k.startsWith('clinic-draft:'))"


def _editor(demo):
    jordan = Patient.objects.get(legal_first_name="Jordan")
    return evaluation_start(patient=jordan, kind="initial", actor=actor_for(demo["clinician"]))


def _type_into_the_editor(page) -> None:
    for selector, value in TYPED.items():
        page.locator(selector).fill(value)


def _drafts_kept(page, count: int) -> None:
    wait_for(lambda: len(page.evaluate(DRAFTS_IN_STORAGE)) == count, what=f"{count} drafts")


def _log_in_again(page, base: str, password: str, back_to: str) -> None:
    """On the login page the session's end led to: it leads back to ``back_to``."""
    page.wait_for_url(re.compile(re.escape(f"{base}/accounts/login/") + r"\?next="))
    assert parse_qs(urlsplit(page.url).query)["next"] == [back_to]
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{back_to}*")


def _log_out(page, base: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("button", name=re.compile("Maya")).or_(
        page.get_by_role("link", name=re.compile("Maya"))
    ).first.click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/accounts/login/")))


def test_typing_survives_a_logout_in_another_tab_and_is_back_after_logging_in_again(
    demo, live_server, new_context
):
    base, draft = live_server.url, _editor(demo)
    editor = f"/evaluations/{draft.pk}/edit/"
    context = new_context("desktop")
    page = context.new_page()
    login(page, base, "clinician", demo["password"])
    page.goto(base + editor)
    _type_into_the_editor(page)

    other_tab = context.new_page()
    _log_out(other_tab, base)  # ends every session of the clinician
    other_tab.close()

    page.get_by_role("button", name="Save", exact=True).click()
    _log_in_again(page, base, demo["password"], editor)
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    for selector, value in TYPED.items():
        expect(page.locator(selector)).to_have_value(value)
    screenshot(page, "54-evaluation-draft-restored")
    draft.refresh_from_db()
    assert draft.objective_notes == ""  # not saved by the ended session

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Evaluation saved.")).to_be_visible()
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    assert page.evaluate(DRAFTS_IN_STORAGE) == []  # saved: nothing kept in the browser
    draft.refresh_from_db()
    assert draft.objective_notes == TYPED["#id_objective_notes"]
    assert draft.plan_notes == TYPED["#id_plan_notes"]
    assert Measurement.objects.get(evaluation=draft, key="rom_hip_flexion").left == "112"


def test_typing_survives_the_idle_logoff_and_can_be_discarded(
    demo, live_server, new_context, settings
):
    settings.SESSION_IDLE_SECONDS, settings.SESSION_IDLE_WARNING_SECONDS = 10, 4
    base, draft = live_server.url, _editor(demo)
    editor = f"/evaluations/{draft.pk}/edit/"
    page = new_context("desktop").new_page()
    login(page, base, "clinician", demo["password"])
    page.goto(base + editor)
    _type_into_the_editor(page)
    _drafts_kept(page, 1)  # kept as typed

    # No click, no key: the countdown ends and the browser goes to the login page by itself.
    expect(page.get_by_text("Still there?")).to_be_visible()
    _log_in_again(page, base, demo["password"], editor)
    expect(page.get_by_text(RESTORED)).to_be_visible()
    expect(page.locator("#id_objective_notes")).to_have_value(TYPED["#id_objective_notes"])

    page.get_by_role("button", name="Discard what was restored").click()
    expect(page.get_by_text("Discarded: the form shows what was last saved.")).to_be_visible()
    expect(page.locator("#id_objective_notes")).to_have_value("")
    expect(page.locator("#id_m_rom_hip_flexion_l")).to_have_value("")
    assert page.evaluate(DRAFTS_IN_STORAGE) == []
    assert Evaluation.objects.get(pk=draft.pk).objective_notes == ""


def test_logging_out_leaves_nothing_typed_in_the_browser(demo, live_server, new_context):
    base, draft = live_server.url, _editor(demo)
    page = new_context("desktop").new_page()
    login(page, base, "clinician", demo["password"])
    page.goto(f"{base}/evaluations/{draft.pk}/edit/")
    _type_into_the_editor(page)
    _drafts_kept(page, 1)
    page.get_by_role("button", name=re.compile("Maya")).first.click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/accounts/login/")))
    assert page.evaluate(DRAFTS_IN_STORAGE) == []
    # And the next person at this computer gets a plain login, then an empty editor.
    login(page, base, "clinician", demo["password"])
    page.goto(f"{base}/evaluations/{draft.pk}/edit/")
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    expect(page.locator("#id_objective_notes")).to_have_value("")


def test_the_plan_notes_survive_a_logout_in_another_tab(demo, live_server, new_context):
    base = live_server.url
    plan = Plan.objects.get(patient__legal_first_name="Priya")
    editor = f"/plans/{plan.pk}/"
    context = new_context("desktop")
    page = context.new_page()
    login(page, base, "clinician", demo["password"])
    page.goto(base + editor)
    notes = page.locator("form[data-draft] textarea")
    notes.fill("Ice after the long run; call if the knee swells")

    other_tab = context.new_page()
    _log_out(other_tab, base)
    other_tab.close()

    page.locator("form[data-draft]").get_by_role("button", name="Save").click()
    _log_in_again(page, base, demo["password"], editor)
    expect(page.get_by_text(RESTORED)).to_be_visible()
    expect(notes).to_have_value("Ice after the long run; call if the knee swells")
    screenshot(page, "55-plan-draft-restored")
    page.locator("form[data-draft]").get_by_role("button", name="Save").click()
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    plan.refresh_from_db()
    assert plan.notes == "Ice after the long run; call if the knee swells"
    assert page.evaluate(DRAFTS_IN_STORAGE) == []


def test_a_form_sent_back_with_errors_is_still_kept_until_saved(demo, live_server, new_context):
    base, draft = live_server.url, _editor(demo)
    editor = f"/evaluations/{draft.pk}/edit/"
    context = new_context("desktop")
    page = context.new_page()
    login(page, base, "clinician", demo["password"])
    page.goto(base + editor)
    _type_into_the_editor(page)
    page.locator("#id_m_mmt_hip_abductors_l").fill("9")  # not a muscle grade
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Nothing was saved yet")).to_be_visible()
    _drafts_kept(page, 1)  # shown on the page, but not saved: kept

    other_tab = context.new_page()
    _log_out(other_tab, base)
    other_tab.close()
    page.locator("#id_m_mmt_hip_abductors_l").fill("4")
    page.get_by_role("button", name="Save", exact=True).click()
    _log_in_again(page, base, demo["password"], editor)
    expect(page.get_by_text(RESTORED)).to_be_visible()
    expect(page.locator("#id_assessment")).to_have_value(TYPED["#id_assessment"])
    expect(page.locator("#id_m_mmt_hip_abductors_l")).to_have_value("4")

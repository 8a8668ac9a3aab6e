"""Outcome measures a patient answers at home, and the clinician's request for them."""

from django import forms

from intake import scoring

# Measures with one answer scale for every item, so a patient can answer them in plain
# words. AKPS and VISA-A have item-specific answers and PSFS needs the patient's own
# activities named with the clinician: those are entered at the visit.
SCALE_LABELS = {
    # LEFS answer scale (Binkley 1999, Phys Ther 79:371)
    "LEFS": {
        0: "Extreme difficulty or unable",
        1: "Quite a bit of difficulty",
        2: "Moderate difficulty",
        3: "A little bit of difficulty",
        4: "No difficulty",
    },
    # FAAM answer scale (Martin 2005, Foot Ankle Int 26:968); N/A leaves the item out
    "FAAM-ADL": {
        4: "No difficulty",
        3: "Slight difficulty",
        2: "Moderate difficulty",
        1: "Extreme difficulty",
        0: "Unable to do",
    },
    "NPRS": {n: str(n) for n in range(11)},  # 0 no pain … 10 worst imaginable (Salaffi 2004)
}
SCALE_LABELS["FAAM-SPORTS"] = SCALE_LABELS["FAAM-ADL"]
PATIENT_MEASURES = tuple(SCALE_LABELS)
NOT_APPLICABLE = "na"

INTROS = {
    "LEFS": "How much difficulty do you have today with each of these activities?",
    "FAAM-ADL": "Because of your foot or ankle, how much difficulty do you have with…",
    "FAAM-SPORTS": "Because of your foot or ankle, how much difficulty do you have with…",
    "NPRS": "How bad is your pain right now? 0 means no pain, 10 the worst pain you can imagine.",
}


class PatientOutcomeForm(forms.Form):
    """One measure, every item answered (FAAM allows "not applicable")."""

    def __init__(self, *args, measure: str, **kwargs):
        super().__init__(*args, prefix=measure, **kwargs)
        self.measure = scoring.get_measure(measure)
        self.intro = INTROS[measure]
        labels = SCALE_LABELS[measure]
        for key, label in zip(self.measure.items, self.measure.labels, strict=True):
            choices = [(str(p), labels[p]) for p in sorted(labels, reverse=measure != "NPRS")]
            if measure.startswith("FAAM"):
                choices.append((NOT_APPLICABLE, "Not applicable"))
            self.fields[key] = forms.ChoiceField(
                label=label if measure != "NPRS" else "Pain now",
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Please choose an answer."},
            )

    def answers(self) -> dict[str, int | None]:
        return {
            key: None if value == NOT_APPLICABLE else int(value)
            for key, value in self.cleaned_data.items()
        }


class OutcomeRequestForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label="Measures for the patient to fill in",
        choices=[(code, scoring.get_measure(code).name) for code in PATIENT_MEASURES],
        widget=forms.CheckboxSelectMultiple,
    )
    send_mail = forms.BooleanField(required=False, initial=True, label="E-mail the link")

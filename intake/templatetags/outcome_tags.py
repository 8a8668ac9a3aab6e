"""Template helpers for the outcome measures of the evaluation editor."""

from django import template

from intake import scoring

register = template.Library()


@register.simple_tag
def outcome_display(form) -> dict:
    """The scale line and the running total of an OutcomeForm, from what the form holds now
    (posted values when bound, stored answers otherwise)."""
    spec = form.measure
    answers = {item: form[item].value() for item in spec.items}
    return {
        "scale": scoring.item_scale(spec.code),
        "scale_id": f"{form.prefix}-scale",
        "total": scoring.running_total(spec.code, answers),
        "low": spec.item_range[0],
        "high": spec.item_range[1],
    }


@register.simple_tag
def outcome_widget(field, display: dict):
    """One item's input, carrying its scale: the allowed points (min, max and a "0–4"
    placeholder on a number box) and a pointer to the scale's words for screen readers."""
    attrs = {"aria-describedby": display["scale_id"], "data-om-item": field.name}
    if field.name not in dict(field.form.measure.choices):
        low, high = display["low"], display["high"]
        attrs.update(min=low, max=high, step=1, placeholder=f"{low}–{high}", inputmode="numeric")
    return field.as_widget(attrs=attrs)

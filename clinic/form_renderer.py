"""Form widgets through Jinja2, for speed, with Django templates for the widgets only they have.

The evaluation editor and the plan editor draw 200+ widgets each; through Django's template
engine that was most of their time (bench/results/2026-11-27.md). Django ships every built-in
widget template for Jinja2 too (django/forms/jinja2/), but the admin's and auth's own widgets
(the password hash, the related-object wrapper) exist only as Django templates: those fall
back. Pages, crispy-forms' field layout and includes stay on Django templates.
"""

from django.forms import renderers
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class Jinja2WithFallback(renderers.Jinja2):
    @cached_property
    def fallback(self) -> renderers.DjangoTemplates:
        return renderers.DjangoTemplates()

    @cached_property
    def _fallback_names(self) -> set[str]:
        return set()

    def get_template(self, template_name):
        if template_name not in self._fallback_names:
            try:
                return super().get_template(template_name)
            except TemplateDoesNotExist:
                self._fallback_names.add(template_name)
        return self.fallback.get_template(template_name)

"""Django form renderer producing GOV.UK Frontend markup.

Enable it for the whole project with::

    FORM_RENDERER = "safecare.core.forms_renderer.GovukFormRenderer"

It renders through the project's TEMPLATES (so the templates in
``safecare/templates/forms/govuk/`` and the ``govuk`` template-tag library
must be reachable, and ``django.forms`` must be in INSTALLED_APPS for Django's
own widget templates). ``{{ form }}`` then gives govuk-form-group blocks with
labels, hints, error messages and GOV.UK-styled widgets. Put
``{% include "includes/error_summary.html" %}`` at the top of the page.
"""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk/form.html"
    field_template_name = "forms/govuk/field.html"

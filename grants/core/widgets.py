"""Form widgets the GOV.UK ones need adjusting for."""

from flask_babel import get_locale
from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovPasswordInput, GovTextInput


class _SpeaksThePageLanguage:
    """A widget whose own words (the "Error:" a screen reader hears before a field's message)
    are in the page's language, not GOV.UK Frontend's English."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if "errorMessage" in params:
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        return params


class TextInput(_SpeaksThePageLanguage, GovTextInput):
    """The GOV.UK text input, in the page's language."""


class PasswordInput(_SpeaksThePageLanguage, GovPasswordInput):
    """The GOV.UK password input, whose show and hide button speaks the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if str(get_locale() or "en") == "en":
            return params  # GOV.UK Frontend's own words, as the pages have always had them
        params.update({
            "showPasswordText": _("Show"),
            "hidePasswordText": _("Hide"),
            "showPasswordAriaLabelText": _("Show password"),
            "hidePasswordAriaLabelText": _("Hide password"),
            "passwordShownAnnouncementText": _("Your password is visible"),
            "passwordHiddenAnnouncementText": _("Your password is hidden"),
        })
        return params


class DateInput(GovDateInput):
    """The GOV.UK date input (day, month, year), which also redisplays a date that was sent
    with parts missing, as a saved half-finished answer may be."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = (list(raw) + ["", "", ""])[:3]
        try:
            return super().map_gov_params(field, **kwargs)
        finally:
            field.raw_data = raw

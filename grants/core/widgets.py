"""Form widgets the GOV.UK ones need adjusting for."""

from flask_babel import get_locale
from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)


def _english() -> bool:
    return str(get_locale() or "en") == "en"


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
        if _english():
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


class TextArea(_SpeaksThePageLanguage, GovTextArea):
    """The GOV.UK textarea, in the page's language."""


class RadioInput(_SpeaksThePageLanguage, GovRadioInput):
    """The GOV.UK radios, in the page's language."""


class CheckboxesInput(_SpeaksThePageLanguage, GovCheckboxesInput):
    """The GOV.UK checkboxes, in the page's language."""


class CheckboxInput(_SpeaksThePageLanguage, GovCheckboxInput):
    """The GOV.UK single checkbox (a tick to confirm), in the page's language."""


class Select(_SpeaksThePageLanguage, GovSelect):
    """The GOV.UK select, in the page's language."""


class CharacterCount(_SpeaksThePageLanguage, GovCharacterCount):
    """The GOV.UK character count, whose "You can enter up to 100 words" and the count it
    keeps as people type speak the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if _english():
            return params
        # GOV.UK Frontend chooses among these by the page's plural rules; a form it is not
        # given ("two", "few" in Welsh) falls back to "other".
        params.update({
            "textareaDescriptionText": _("You can enter up to %{count} words")
            if params.get("maxwords") else _("You can enter up to %{count} characters"),
            "wordsUnderLimitText": {"one": _("You have 1 word remaining"),
                                    "other": _("You have %{count} words remaining")},
            "wordsAtLimitText": _("You have 0 words remaining"),
            "wordsOverLimitText": {"one": _("You have 1 word too many"),
                                   "other": _("You have %{count} words too many")},
            "charactersUnderLimitText": {
                "one": _("You have 1 character remaining"),
                "other": _("You have %{count} characters remaining")},
            "charactersAtLimitText": _("You have 0 characters remaining"),
            "charactersOverLimitText": {
                "one": _("You have 1 character too many"),
                "other": _("You have %{count} characters too many")},
        })
        return params


class DateInput(_SpeaksThePageLanguage, GovDateInput):
    """The GOV.UK date input (day, month, year), in the page's language, which also
    redisplays a date that was sent with parts missing, as a saved half-finished answer may
    be."""

    def map_gov_params(self, field, **kwargs):
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = (list(raw) + ["", "", ""])[:3]
        try:
            params = super().map_gov_params(field, **kwargs)
        finally:
            field.raw_data = raw
        if not _english():
            for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year")),
                                   strict=False):
                item["label"] = label
        return params

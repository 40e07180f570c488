"""Forms that start an application: for one of your organisations, or on an organisation's
behalf (assisted digital)."""

from flask_wtf import FlaskForm

from grants.applications.operations.starting import OrganisationChoices
from grants.core.fields import radio_field
from grants.core.translatable import lazy_text as _l


class OrganisationChoiceForm(FlaskForm):
    """A form that starts something for one of the person's organisations (its subclass's
    `organisation_id` field)."""

    def offer(self, choices: OrganisationChoices) -> None:
        """Offer the organisations that may apply: the only one, chosen already."""
        self.organisation_id.choices = [(str(o.id), o.name) for o in choices.eligible]
        if len(choices.eligible) == 1 and not self.is_submitted():
            self.organisation_id.data = str(choices.eligible[0].id)


class StartApplicationForm(OrganisationChoiceForm):
    organisation_id = radio_field(
        _l("Which organisation are you applying for?"), coerce=str, validate_choice=False,
        required=_l("Select the organisation you are applying for"))


class StartOnBehalfForm(FlaskForm):
    round_id = radio_field(
        "Which round is the application for?", coerce=str, validate_choice=False,
        required="Select the round the application is for")

"""Form widgets the GOV.UK ones need adjusting for."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput


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

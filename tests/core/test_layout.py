from flask import render_template_string
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import Form, StringField
from wtforms.validators import InputRequired

from tests.core.html import SERVICE_NAME, page_title

PAGE_WITH_FORM = """
{% extends "base.html" %}
{% from "macros/forms.html" import error_summary, submit_button %}
{% block title %}Your name{% endblock %}
{% block back %}<a href="/" class="govuk-back-link">Back</a>{% endblock %}
{% block content %}
  {{ error_summary(form) }}
  <h1 class="govuk-heading-l">Your name</h1>
  <form method="post" novalidate>
    {{ form.name(params={"label": {"text": "Full name"}}) }}
    {{ submit_button("Save") }}
  </form>
{% endblock %}
"""


class NameForm(Form):
    name = StringField(widget=GovTextInput(),
                       validators=[InputRequired(message="Enter your full name")])


def _render_with(app, form) -> str:
    with app.test_request_context("/"):
        return render_template_string(PAGE_WITH_FORM, form=form)


def test_a_form_without_errors_has_no_error_summary_and_a_plain_title(app):
    html = _render_with(app, NameForm())

    assert "govuk-error-summary" not in html
    assert page_title(html) == f"Your name — {SERVICE_NAME}"


def test_a_form_with_errors_has_a_summary_linking_to_the_field_and_an_error_title(app):
    form = NameForm()
    form.validate()

    html = _render_with(app, form)

    assert page_title(html) == f"Error: Your name — {SERVICE_NAME}"
    assert "There is a problem" in html
    assert '<a href="#name">Enter your full name</a>' in html
    assert 'id="name-error"' in html  # the message beside the field


def test_the_back_link_sits_above_the_main_content(app):
    html = _render_with(app, NameForm())

    assert html.index('class="govuk-back-link"') < html.index('id="main-content"')


def test_the_submit_button_sends_the_form_once_on_a_double_click(app):
    html = _render_with(app, NameForm())

    assert 'data-prevent-double-click="true"' in html


def test_flashed_messages_show_as_notification_banners_at_the_top_of_the_page(client):
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your details were saved"),
                               ("info", "The round closes on Friday")]

    html = client.get("/accessibility").get_data(as_text=True)

    main = html[html.index('id="main-content"'):]
    assert main.index("govuk-notification-banner--success") < main.index("<h1")
    assert 'role="alert"' in main and "Your details were saved" in main
    assert 'role="region"' in main and "The round closes on Friday" in main


def test_flashed_messages_show_once(client):
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your details were saved")]

    client.get("/accessibility")
    html = client.get("/accessibility").get_data(as_text=True)

    assert "govuk-notification-banner" not in html

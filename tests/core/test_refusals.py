"""The one way a form's POST is carried out, and the shared text field every form uses."""

from datetime import date

import pytest
from flask import g, get_flashed_messages
from flask_wtf import FlaskForm

from grants.core.errors import Refusal, ValidationFailed
from grants.core.fields import BOX, COUNTED, date_field, text_field
from grants.core.refusals import carry_out, pressed


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = text_field("Name", limit=10, named="Your name", required="Enter your name")
    note = text_field("Note", limit=5, named="The note", kind=BOX)
    story = text_field("Story", limit=3000, named="The story", kind=COUNTED)


@pytest.fixture
def posted(app):
    def post(**data):
        context = app.test_request_context("/", method="POST", data=data)
        context.push()
        return context

    contexts = []
    yield lambda **data: contexts.append(post(**data)) or NameForm()
    for context in reversed(contexts):
        context.pop()


def _carry_out(form, action, **options):
    return carry_out(form, action, field="name", done=options.pop("done", "Saved."),
                     then=options.pop("then", "/done"), **options)


def test_valid_answers_are_carried_out_said_and_redirected(posted):
    form = posted(name="  Sam  ")
    answer = _carry_out(form, lambda: form.name.data, done=lambda name: f"Saved {name}.",
                        then=lambda name: f"/people/{name}")
    assert (answer.status_code, answer.location) == (302, "/people/Sam")
    assert get_flashed_messages(with_categories=True) == [("success", "Saved Sam.")]
    assert not g.get("refused")


def test_answers_the_form_refuses_are_never_acted_on(posted):
    form = posted(name="   ", note="far too long", story="x" * 3001)
    acted = []
    assert _carry_out(form, lambda: acted.append(1)) is None
    assert acted == []
    assert form.errors == {"name": ["Enter your name"],
                           "note": ["The note must be 5 characters or fewer"],
                           "story": ["The story must be 3,000 characters or fewer"]}


def test_a_refusal_is_shown_on_its_field_or_the_fallback_and_rolls_back(posted):
    form = posted(name="Sam")

    def refuse():
        raise ValidationFailed({"note": "Notes are closed", "gone": "Something else"})

    assert _carry_out(form, refuse) is None
    assert form.note.errors == ["Notes are closed"]
    assert form.name.errors == ["Something else"]
    assert g.refused is True
    assert get_flashed_messages() == []


def test_a_refusal_about_the_record_goes_back_to_its_page_when_asked(posted):
    form = posted(name="Sam")

    def refuse():
        raise Refusal("The round has closed")

    answer = _carry_out(form, refuse, refusals_to="/round")
    assert (answer.status_code, answer.location) == (302, "/round")
    assert get_flashed_messages(with_categories=True) == [("info", "The round has closed")]
    assert g.refused is True
    # Without somewhere to go back to, it is shown on the form.
    form = posted(name="Sam")
    assert _carry_out(form, refuse) is None
    assert form.name.errors == ["The round has closed"]


def test_the_widget_follows_the_kind_of_field(posted):
    form = posted(name="Sam")
    html = [str(form.name()), str(form.note()), str(form.story())]
    assert "<input" in html[0] and "govuk-input" in html[0]
    assert "<textarea" in html[1] and "govuk-character-count" not in html[1]
    assert "govuk-character-count" in html[2]


def test_a_form_the_record_rules_out_is_neither_shown_nor_carried_out(posted):
    form = posted(name="Sam")
    acted = []
    answer = _carry_out(form, lambda: acted.append(1), refusals_to="/award",
                        ruled_out="The offer has been accepted, so it cannot be withdrawn")
    assert (answer.status_code, answer.location) == (302, "/award")
    assert acted == []
    assert get_flashed_messages(with_categories=True) == [
        ("info", "The offer has been accepted, so it cannot be withdrawn")]


def test_back_to_is_where_the_person_goes_whether_done_or_refused(posted):
    form = posted(name="Sam")
    answer = carry_out(form, lambda: "done", field="name", done="Saved.", back_to="/award")
    assert (answer.status_code, answer.location) == (302, "/award")

    def refuse():
        raise Refusal("The award is paid")

    form = posted(name="Sam")
    answer = carry_out(form, refuse, field="name", done="Saved.", back_to="/award")
    assert (answer.status_code, answer.location) == (302, "/award")
    assert ("info", "The award is paid") in get_flashed_messages(with_categories=True)


def test_a_form_nothing_rules_out_is_carried_out(posted):
    form = posted(name="Sam")
    answer = _carry_out(form, lambda: "done", refusals_to="/award", ruled_out=None)
    assert (answer.status_code, answer.location) == (302, "/done")


class DatesForm(FlaskForm):
    class Meta:
        csrf = False

    start = date_field("Start", example="1 4 2027", required="Enter the start date")
    end = date_field("End", example="31 3 2028")


def test_a_date_field_hints_its_example_and_may_be_required(app):
    with app.test_request_context("/", method="POST", data={"end": "1 2 2028"}):
        form = DatesForm()
        assert not form.validate()
    assert form.start.description == "For example, 1 4 2027"
    assert form.errors == {"start": ["Enter the start date"]}
    assert form.end.data == date(2028, 2, 1)


def test_a_button_is_carried_out_and_said_or_refused_and_said_why(app):
    with app.test_request_context("/", method="POST"):
        answer = pressed(lambda: 3, done=lambda count: f"{count} approved.",
                         endpoint="awards.manage_award", award_id=7)
        assert (answer.status_code, answer.location) == (302, "/staff/awards/7")
        assert get_flashed_messages(with_categories=True) == [("success", "3 approved.")]
        assert not g.get("refused")

    def refuse():
        raise Refusal("The payment is approved already")

    with app.test_request_context("/", method="POST"):
        answer = pressed(refuse, done="Approved.", endpoint="awards.manage_award", award_id=7)
        assert (answer.status_code, answer.location) == (302, "/staff/awards/7")
        assert get_flashed_messages(with_categories=True) == [
            ("info", "The payment is approved already")]
        assert g.refused is True

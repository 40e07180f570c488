"""The round's ranking, and moderation: staff record the score they agreed for an
application."""

from flask import render_template, request, url_for
from flask_login import current_user

from grants.assessment.forms import ModerationForm
from grants.assessment.operations import moderation, ranking_pages, review_queries
from grants.assessment.operations.ranking import TIE_BREAK_TEXT
from grants.assessment.views.blueprint import bp
from grants.auth.decorators import staff_required
from grants.core.errors import Refusal, ValidationFailed
from grants.core.paging import page_number
from grants.core.refusals import carry_out
from grants.extensions import db


def _application_url(application) -> str:
    return url_for("assessment.view_application", application_id=application.id)


def _besides_score(error: Refusal) -> ValidationFailed:
    """The refusal without what it says of the agreed score: the form has said why the score
    typed is not one."""
    return ValidationFailed({name: message for name, message in error.errors.items()
                             if name != "agreed_score"})


# The endpoint is "assessment.ranking"; the function has another name so that it does not
# hide the ranking module.
@bp.get("/staff/rounds/<int:round_id>/ranking", endpoint="ranking")
@staff_required
def ranking_page(round_id: int):
    shown = ranking_pages.load_ranking_page(db.session, round_id,
                                            page_number(request.args.get("page")))
    return render_template(
        "assessment/ranking.html", shown=shown, round=shown.round,
        tie_break=TIE_BREAK_TEXT, application_url=_application_url,
        round_url=url_for("funds.view_round", round_id=round_id))


@bp.route("/staff/applications/<int:application_id>/moderation", methods=["GET", "POST"])
@staff_required
def moderate(application_id: int):
    application = review_queries.sent_application(db.session, application_id)
    form = ModerationForm()

    def record():
        tenths = form.agreed_tenths()
        try:
            return moderation.moderate(db.session, current_user, application,
                                       agreed_score_tenths=tenths,
                                       reason=form.reason.data or "")
        except Refusal as error:
            if tenths is None:
                raise _besides_score(error) from error
            raise

    answer = carry_out(form, record, field="agreed_score",
                       done=f"Agreed score for {application.reference} recorded",
                       then=url_for("assessment.ranking", round_id=application.round_id))
    if answer is not None:
        return answer
    summary = moderation.moderation_summary(db.session, application)
    return render_template(
        "assessment/ranking_moderate.html", application=application, form=form,
        reviews=summary.reviews, mean_text=summary.mean_text,
        spread_text=summary.spread_text, disagree=summary.disagree,
        moderation=summary.moderation, moderated_text=summary.moderated_text)

"""Staff pages for what a round funds and whom for: priorities and key aims, organisation
types, and a nomination round's allocation per county."""

from flask import abort, render_template, request

from grants.core.refusals import carry_out
from grants.extensions import db
from grants.funds.forms import OrganisationTypesForm, PrioritiesForm, allocations_form_class
from grants.funds.models import RoundKind
from grants.funds.operations import rounds, setup
from grants.funds.views.blueprint import actor_id, bp, round_url


@bp.route("/rounds/<int:round_id>/priorities", methods=["GET", "POST"])
def edit_priorities(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    groups = setup.priority_choices(db.session, round_)
    form = PrioritiesForm()
    form.priorities.choices = [(g.priority.id, f"{g.priority.code} {g.priority.title}")
                               for g in groups]
    form.key_aims.choices = [(aim.id, aim.code) for g in groups for aim in g.key_aims]
    if request.method == "GET":
        form.priorities.data = [p.id for p in round_.priorities]
        form.key_aims.data = [aim.id for aim in round_.key_aims]
    answer = carry_out(
        form, lambda: setup.set_priorities(db.session, round_, form.priorities.data,
                                           form.key_aims.data, actor_id=actor_id()),
        field="priorities", done="Priorities saved", then=round_url(round_id))
    return answer or render_template(
        "funds/priorities.html", form=form, round=round_, groups=groups,
        locked_reason=rounds.locked_reason(db.session, round_, setup.PRIORITIES_LOCKED),
    )


@bp.route("/rounds/<int:round_id>/organisation-types", methods=["GET", "POST"])
def edit_organisation_types(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = OrganisationTypesForm()
    if request.method == "GET":
        form.organisation_types.data = [kind.value for kind in round_.organisation_types]
    answer = carry_out(
        form, lambda: setup.set_organisation_types(db.session, round_, form.types(),
                                                   actor_id=actor_id()),
        field="organisation_types", done="Organisation types saved", then=round_url(round_id))
    return answer or render_template(
        "funds/organisation_types.html", form=form, round=round_,
        locked_reason=rounds.locked_reason(db.session, round_,
                                           setup.ORGANISATION_TYPES_LOCKED),
    )


@bp.route("/rounds/<int:round_id>/allocations", methods=["GET", "POST"])
def edit_allocations(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    if round_.kind is not RoundKind.NOMINATION:
        abort(404)
    counties = setup.counties_with_high_sheriffs(db.session)
    form = allocations_form_class(counties)()
    if request.method == "GET":
        for allocation in round_.county_allocations:
            field_ = form._fields.get(f"county_{allocation.county_id}")
            if field_ is not None:
                field_.data = allocation.amount_pence
    answer = carry_out(
        form, lambda: setup.set_county_allocations(db.session, round_, form.amounts(),
                                                   actor_id=actor_id()),
        field=setup.allocation_field(counties[0]) if counties else "csrf_token",
        done="County allocations saved", then=round_url(round_id))
    return answer or render_template("funds/allocations.html", form=form, round=round_,
                                     counties=counties)

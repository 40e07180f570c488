"""Staff pages for the Police and Crime Plan: plans, their priorities and key aims."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from grants.auth import permissions
from grants.core.errors import Conflict, Refusal, ValidationFailed
from grants.core.validators import saved_values
from grants.extensions import db
from grants.plans import services
from grants.plans.forms import KeyAimForm, NewPlanForm, PlanDetailsForm, PriorityForm

bp = Blueprint("plans", __name__, url_prefix="/staff/plans")


@bp.before_request
@login_required
def require_staff():
    """Plans are kept by OPCC staff (and admins) only."""
    if not permissions.may_view_staff_pages(current_user):
        abort(403)


def _actor_id() -> int:
    return current_user.id


def _show_errors(form: FlaskForm, error: Refusal) -> None:
    """Put a service's refusal on the fields it is about (or on the form as a whole)."""
    db.session.rollback()
    errors = error.errors if isinstance(error, ValidationFailed) else {error.field: error.message}
    for name, message in errors.items():
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def _to_plan(plan_id: int):
    return redirect(url_for("plans.view_plan", plan_id=plan_id))


# Plans ---------------------------------------------------------------------------------------

@bp.get("")
def list_plans():
    return render_template("plans/list.html", plans=services.list_plans(db.session))


@bp.route("/new", methods=["GET", "POST"])
def new_plan():
    form = NewPlanForm()
    if form.validate_on_submit():
        try:
            plan = services.create_plan(
                db.session, actor_id=_actor_id(), code=form.code.data, title=form.title.data,
                valid_from=form.valid_from.data, valid_to=form.valid_to.data,
                make_current=form.make_current.data,
            )
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash(f"Plan {plan.code} added. Now add its strategic priorities", "success")
            return _to_plan(plan.id)
    return render_template("plans/new.html", form=form)


@bp.get("/<int:plan_id>")
def view_plan(plan_id: int):
    return render_template("plans/view.html", plan=services.get_plan(db.session, plan_id))


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id: int):
    plan = services.get_plan(db.session, plan_id)
    form = PlanDetailsForm(obj=saved_values(plan))
    if form.validate_on_submit():
        try:
            services.update_plan(db.session, plan, actor_id=_actor_id(), title=form.title.data,
                                 valid_from=form.valid_from.data, valid_to=form.valid_to.data)
        except Refusal as error:
            _show_errors(form, error)
            plan = services.get_plan(db.session, plan_id)
        else:
            flash("Plan details saved", "success")
            return _to_plan(plan.id)
    return render_template("plans/edit.html", form=form, plan=plan)


@bp.post("/<int:plan_id>/make-current")
def make_current(plan_id: int):
    plan = services.get_plan(db.session, plan_id)
    services.make_plan_current(db.session, plan, actor_id=_actor_id())
    flash(f"{plan.title} is now the current plan", "success")
    return _to_plan(plan.id)


# Priorities ----------------------------------------------------------------------------------

@bp.route("/<int:plan_id>/priorities/new", methods=["GET", "POST"])
def new_priority(plan_id: int):
    plan = services.get_plan(db.session, plan_id)
    form = PriorityForm()
    if form.validate_on_submit():
        try:
            priority = services.add_priority(db.session, plan, actor_id=_actor_id(),
                                             title=form.title.data,
                                             objective=form.objective.data)
        except Refusal as error:
            _show_errors(form, error)
            plan = services.get_plan(db.session, plan_id)
        else:
            flash(f"Priority {priority.code} {priority.title} added", "success")
            return _to_plan(plan.id)
    return render_template("plans/priority_form.html", form=form, plan=plan, priority=None,
                           next_code=f"P{services.next_priority_number(db.session, plan)}")


@bp.route("/<int:plan_id>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
def edit_priority(plan_id: int, priority_id: int):
    priority = services.get_priority(db.session, plan_id, priority_id)
    form = PriorityForm(obj=saved_values(priority))
    if form.validate_on_submit():
        try:
            services.update_priority(db.session, priority, actor_id=_actor_id(),
                                     title=form.title.data, objective=form.objective.data)
        except Refusal as error:
            _show_errors(form, error)
            priority = services.get_priority(db.session, plan_id, priority_id)
        else:
            flash(f"Priority {priority.code} saved", "success")
            return _to_plan(plan_id)
    return render_template("plans/priority_form.html", form=form, plan=priority.plan,
                           priority=priority)


@bp.post("/<int:plan_id>/priorities/<int:priority_id>/retire")
def retire_priority(plan_id: int, priority_id: int):
    priority = services.get_priority(db.session, plan_id, priority_id)
    services.retire_priority(db.session, priority, actor_id=_actor_id())
    flash(f"Priority {priority.code} retired: new rounds will not offer it", "success")
    return _to_plan(plan_id)


@bp.post("/<int:plan_id>/priorities/<int:priority_id>/reinstate")
def reinstate_priority(plan_id: int, priority_id: int):
    priority = services.get_priority(db.session, plan_id, priority_id)
    services.reinstate_priority(db.session, priority, actor_id=_actor_id())
    flash(f"Priority {priority.code} reinstated", "success")
    return _to_plan(plan_id)


@bp.route("/<int:plan_id>/priorities/<int:priority_id>/delete", methods=["GET", "POST"])
def delete_priority(plan_id: int, priority_id: int):
    priority = services.get_priority(db.session, plan_id, priority_id)
    form = FlaskForm()
    if form.validate_on_submit():
        code = priority.code
        try:
            services.delete_priority(db.session, priority, actor_id=_actor_id())
        except Conflict as error:
            db.session.rollback()
            priority = services.get_priority(db.session, plan_id, priority_id)
            return render_template("plans/delete.html", thing="priority", priority=priority,
                                   key_aim=None, refusal=error.message), 409
        flash(f"Priority {code} deleted", "success")
        return _to_plan(plan_id)
    usage = services.priority_usage(db.session, priority)
    return render_template(
        "plans/delete.html", thing="priority", priority=priority, key_aim=None,
        refusal=usage.refusal("priority") if usage.in_use else None,
    )


# Key aims ------------------------------------------------------------------------------------

KEY_AIM = "/<int:plan_id>/priorities/<int:priority_id>/key-aims"


@bp.route(f"{KEY_AIM}/new", methods=["GET", "POST"])
def new_key_aim(plan_id: int, priority_id: int):
    priority = services.get_priority(db.session, plan_id, priority_id)
    form = KeyAimForm()
    if form.validate_on_submit():
        try:
            key_aim = services.add_key_aim(db.session, priority, actor_id=_actor_id(),
                                           text=form.text.data)
        except Refusal as error:
            _show_errors(form, error)
            priority = services.get_priority(db.session, plan_id, priority_id)
        else:
            flash(f"Key aim {key_aim.code} added", "success")
            return _to_plan(plan_id)
    next_number = services.next_key_aim_number(db.session, priority)
    return render_template("plans/key_aim_form.html", form=form, priority=priority,
                           key_aim=None, next_code=f"{priority.code}.{next_number}")


@bp.route(f"{KEY_AIM}/<int:key_aim_id>/edit", methods=["GET", "POST"])
def edit_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = services.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    form = KeyAimForm(obj=saved_values(key_aim))
    if form.validate_on_submit():
        try:
            services.update_key_aim(db.session, key_aim, actor_id=_actor_id(),
                                    text=form.text.data)
        except Refusal as error:
            _show_errors(form, error)
            key_aim = services.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
        else:
            flash(f"Key aim {key_aim.code} saved", "success")
            return _to_plan(plan_id)
    return render_template("plans/key_aim_form.html", form=form, priority=key_aim.priority,
                           key_aim=key_aim)


@bp.post(f"{KEY_AIM}/<int:key_aim_id>/retire")
def retire_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = services.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    services.retire_key_aim(db.session, key_aim, actor_id=_actor_id())
    flash(f"Key aim {key_aim.code} retired: new rounds will not offer it", "success")
    return _to_plan(plan_id)


@bp.post(f"{KEY_AIM}/<int:key_aim_id>/reinstate")
def reinstate_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = services.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    services.reinstate_key_aim(db.session, key_aim, actor_id=_actor_id())
    flash(f"Key aim {key_aim.code} reinstated", "success")
    return _to_plan(plan_id)


@bp.route(f"{KEY_AIM}/<int:key_aim_id>/delete", methods=["GET", "POST"])
def delete_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = services.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    form = FlaskForm()
    if form.validate_on_submit():
        code = key_aim.code
        try:
            services.delete_key_aim(db.session, key_aim, actor_id=_actor_id())
        except Conflict as error:
            db.session.rollback()
            key_aim = services.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
            return render_template("plans/delete.html", thing="key aim",
                                   priority=key_aim.priority, key_aim=key_aim,
                                   refusal=error.message), 409
        flash(f"Key aim {code} deleted", "success")
        return _to_plan(plan_id)
    usage = services.key_aim_usage(db.session, key_aim)
    return render_template(
        "plans/delete.html", thing="key aim", priority=key_aim.priority, key_aim=key_aim,
        refusal=usage.refusal("key aim") if usage.in_use else None,
    )

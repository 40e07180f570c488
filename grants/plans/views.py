"""Staff pages for the Police and Crime Plan: plans, their priorities and key aims."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.errors import Refusal
from grants.core.refusals import carry_out, mark_refused
from grants.core.validators import saved_values
from grants.extensions import db
from grants.offices.operations.scoping import office_scope
from grants.plans.forms import KeyAimForm, NewPlanForm, PlanDetailsForm, PriorityForm
from grants.plans.operations import deleting, key_aims, plans, priorities, reading, retiring

bp = Blueprint("plans", __name__, url_prefix="/staff/plans")

# Plans are kept by OPCC staff (and admins) only.
every_page_requires(bp, permissions.may_view_staff_pages)


def _actor_id() -> int:
    return current_user.id


def _plan_url(plan_id: int) -> str:
    return url_for("plans.view_plan", plan_id=plan_id)


def _to_plan(plan_id: int):
    return redirect(_plan_url(plan_id))


# Plans ---------------------------------------------------------------------------------------

@bp.get("")
def list_plans():
    return render_template("plans/list.html", plans=reading.list_plans(db.session))


@bp.route("/new", methods=["GET", "POST"])
def new_plan():
    form = NewPlanForm()
    answer = carry_out(
        form, lambda: plans.create_plan(
            db.session, actor_id=_actor_id(), code=form.code.data, title=form.title.data,
            valid_from=form.valid_from.data, valid_to=form.valid_to.data,
            make_current=form.make_current.data, office_id=office_scope(db.session)),
        field="title",
        done=lambda plan: f"Plan {plan.code} added. Now add its strategic priorities",
        then=lambda plan: _plan_url(plan.id))
    return answer or render_template("plans/new.html", form=form)


@bp.get("/<int:plan_id>")
def view_plan(plan_id: int):
    return render_template("plans/view.html", plan=reading.get_plan(db.session, plan_id))


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id: int):
    plan = reading.get_plan(db.session, plan_id)
    form = PlanDetailsForm(obj=saved_values(plan))
    answer = carry_out(
        form, lambda: plans.update_plan(
            db.session, plan, actor_id=_actor_id(), title=form.title.data,
            valid_from=form.valid_from.data, valid_to=form.valid_to.data),
        field="title", done="Plan details saved", then=_plan_url(plan.id))
    return answer or render_template("plans/edit.html", form=form, plan=plan)


@bp.post("/<int:plan_id>/make-current")
def make_current(plan_id: int):
    plan = reading.get_plan(db.session, plan_id)
    plans.make_plan_current(db.session, plan, actor_id=_actor_id())
    flash(f"{plan.title} is now the current plan", "success")
    return _to_plan(plan.id)


# Priorities ----------------------------------------------------------------------------------

@bp.route("/<int:plan_id>/priorities/new", methods=["GET", "POST"])
def new_priority(plan_id: int):
    plan = reading.get_plan(db.session, plan_id)
    form = PriorityForm()
    answer = carry_out(
        form, lambda: priorities.add_priority(db.session, plan, actor_id=_actor_id(),
                                              title=form.title.data,
                                              objective=form.objective.data),
        field="title", done=lambda priority: f"Priority {priority.code} {priority.title} added",
        then=_plan_url(plan.id))
    return answer or render_template(
        "plans/priority_form.html", form=form, plan=plan, priority=None,
        next_code=f"P{priorities.next_priority_number(db.session, plan)}")


@bp.route("/<int:plan_id>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
def edit_priority(plan_id: int, priority_id: int):
    priority = reading.get_priority(db.session, plan_id, priority_id)
    form = PriorityForm(obj=saved_values(priority))
    answer = carry_out(
        form, lambda: priorities.update_priority(db.session, priority, actor_id=_actor_id(),
                                                 title=form.title.data,
                                                 objective=form.objective.data),
        field="title", done=f"Priority {priority.code} saved", then=_plan_url(plan_id))
    return answer or render_template("plans/priority_form.html", form=form,
                                     plan=priority.plan, priority=priority)


@bp.post("/<int:plan_id>/priorities/<int:priority_id>/retire")
def retire_priority(plan_id: int, priority_id: int):
    priority = reading.get_priority(db.session, plan_id, priority_id)
    return _set_retired(plan_id, "Priority", priority, retired=True)


@bp.post("/<int:plan_id>/priorities/<int:priority_id>/reinstate")
def reinstate_priority(plan_id: int, priority_id: int):
    priority = reading.get_priority(db.session, plan_id, priority_id)
    return _set_retired(plan_id, "Priority", priority, retired=False)


def _set_retired(plan_id: int, thing: str, record, *, retired: bool):
    """Retire or reinstate a priority or key aim, and say so on the plan's page."""
    retiring.set_retired(db.session, record, retired=retired, actor_id=_actor_id())
    what = "retired: new rounds will not offer it" if retired else "reinstated"
    flash(f"{thing} {record.code} {what}", "success")
    return _to_plan(plan_id)


@bp.route("/<int:plan_id>/priorities/<int:priority_id>/delete", methods=["GET", "POST"])
def delete_priority(plan_id: int, priority_id: int):
    priority = reading.get_priority(db.session, plan_id, priority_id)
    return _delete_page(plan_id, "priority", priority, priority, None,
                        deleting.delete_priority, deleting.priority_usage)


def _delete_page(plan_id: int, thing: str, record, priority, key_aim, delete, usage_of):
    """Ask before deleting a priority or key aim, or say what uses it; delete it on a post."""
    page = {"thing": thing, "priority": priority, "key_aim": key_aim}
    form = FlaskForm()
    if form.validate_on_submit():
        code = record.code
        try:
            delete(db.session, record, actor_id=_actor_id())
        except Refusal as error:
            mark_refused()
            return render_template("plans/delete.html", **page, refusal=error.message), 409
        flash(f"{thing.capitalize()} {code} deleted", "success")
        return _to_plan(plan_id)
    usage = usage_of(db.session, record)
    return render_template("plans/delete.html", **page,
                           refusal=usage.refusal(thing) if usage.in_use else None)


# Key aims ------------------------------------------------------------------------------------

KEY_AIM = "/<int:plan_id>/priorities/<int:priority_id>/key-aims"


@bp.route(f"{KEY_AIM}/new", methods=["GET", "POST"])
def new_key_aim(plan_id: int, priority_id: int):
    priority = reading.get_priority(db.session, plan_id, priority_id)
    form = KeyAimForm()
    answer = carry_out(
        form, lambda: key_aims.add_key_aim(db.session, priority, actor_id=_actor_id(),
                                           text=form.text.data),
        field="text", done=lambda key_aim: f"Key aim {key_aim.code} added",
        then=_plan_url(plan_id))
    if answer is not None:
        return answer
    next_number = key_aims.next_key_aim_number(db.session, priority)
    return render_template("plans/key_aim_form.html", form=form, priority=priority,
                           key_aim=None, next_code=f"{priority.code}.{next_number}")


@bp.route(f"{KEY_AIM}/<int:key_aim_id>/edit", methods=["GET", "POST"])
def edit_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = reading.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    form = KeyAimForm(obj=saved_values(key_aim))
    answer = carry_out(
        form, lambda: key_aims.update_key_aim(db.session, key_aim, actor_id=_actor_id(),
                                              text=form.text.data),
        field="text", done=f"Key aim {key_aim.code} saved", then=_plan_url(plan_id))
    return answer or render_template("plans/key_aim_form.html", form=form,
                                     priority=key_aim.priority, key_aim=key_aim)


@bp.post(f"{KEY_AIM}/<int:key_aim_id>/retire")
def retire_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = reading.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    return _set_retired(plan_id, "Key aim", key_aim, retired=True)


@bp.post(f"{KEY_AIM}/<int:key_aim_id>/reinstate")
def reinstate_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = reading.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    return _set_retired(plan_id, "Key aim", key_aim, retired=False)


@bp.route(f"{KEY_AIM}/<int:key_aim_id>/delete", methods=["GET", "POST"])
def delete_key_aim(plan_id: int, priority_id: int, key_aim_id: int):
    key_aim = reading.get_key_aim(db.session, plan_id, priority_id, key_aim_id)
    return _delete_page(plan_id, "key aim", key_aim, key_aim.priority, key_aim,
                        deleting.delete_key_aim, deleting.key_aim_usage)

"""Admin pages for offices: the list, and setting up a new one."""

from flask import Blueprint, render_template, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.refusals import carry_out
from grants.extensions import db
from grants.offices.forms import NewOfficeForm
from grants.offices.operations import creating, reading

bp = Blueprint("offices", __name__, url_prefix="/admin/offices")

# Offices are set up by admins only.
every_page_requires(bp, permissions.may_manage_offices)


@bp.get("")
def list_offices():
    return render_template("offices/list.html", offices=reading.list_offices(db.session))


@bp.route("/new", methods=["GET", "POST"])
def new_office():
    form = NewOfficeForm()
    answer = carry_out(
        form, lambda: creating.create_office(db.session, form.details(),
                                             actor_id=current_user.id),
        field="name",
        done=lambda office: f"{office.short_name} added. Load its areas with flask offices "
                            f"load-areas {office.slug}",
        then=url_for("offices.list_offices"))
    return answer or render_template("offices/new.html", form=form)

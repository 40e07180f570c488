"""View decorators that enforce the decisions in `grants.auth.permissions`.

Someone not signed in is sent to sign in (and brought back afterwards); someone signed in
without the role gets 403.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Blueprint, abort, current_app, request
from flask_login import current_user
from flask_login import login_required as login_required

from grants.accounts.models import Role, User
from grants.auth import permissions
from grants.extensions import login_manager

logger = logging.getLogger(__name__)

Record = TypeVar("Record")

__all__ = ["admin_required", "every_page_requires", "login_required", "permission_required",
           "permitted", "roles_required", "staff_required"]


def permission_required(check: Callable[[User], bool]) -> Callable:
    """Allow the view only to a signed-in user for whom `check(user)` is true."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            # Same exemptions as Flask-Login's login_required.
            if request.method == "OPTIONS" or current_app.config.get("LOGIN_DISABLED"):
                return view(*args, **kwargs)
            user = current_user._get_current_object()
            if not permissions.is_signed_in(user):
                return login_manager.unauthorized()
            if not check(user):
                logger.info("user %s refused %s: %s", user.id, request.endpoint,
                            getattr(check, "__name__", "check"))
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def permitted(record: Record, may_see: Callable[[User, Record], bool],
              may_do: Callable[[User, Record], bool]) -> Record:
    """The record, when the signed-in person may do this to it: 404 when they may not see it at
    all, 403 when they may only look."""
    if not may_see(current_user, record):
        abort(404)
    if not may_do(current_user, record):
        abort(403)
    return record


def every_page_requires(bp: Blueprint, check: Callable[[User], bool]) -> None:
    """Guard every page of the blueprint as `permission_required(check)` guards one."""

    @bp.before_request
    @permission_required(check)
    def guard() -> None:
        return None


def roles_required(*roles: Role | str) -> Callable:
    """Allow the view to a signed-in user with any of these roles."""
    wanted = frozenset(role if isinstance(role, Role) else Role(role) for role in roles)
    if not wanted:
        raise ValueError("roles_required needs at least one role")

    def has_role(user: User) -> bool:
        return permissions.has_any_role(user, wanted)

    has_role.__name__ = "roles_required(" + ",".join(sorted(r.value for r in wanted)) + ")"
    return permission_required(has_role)


def staff_required(view: Callable) -> Callable:
    """Allow the view to staff and admins."""
    return permission_required(permissions.is_staff)(view)


def admin_required(view: Callable) -> Callable:
    """Allow the view to admins."""
    return permission_required(permissions.is_admin)(view)

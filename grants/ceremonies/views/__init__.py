"""The ceremony's pages: staff's (planning, inviting, the guest list, and sending again,
cancelling or taking a reply by phone for one invitation) and the invited
organisation's (its reply and its certificates), on one blueprint."""

from grants.ceremonies.views import invitations, members, staff  # noqa: F401
from grants.ceremonies.views.blueprint import bp  # noqa: F401

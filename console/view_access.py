"""Whether a role may open a saved view: the view's profile and its dashboard must
both be for that role (or list no roles). Shared by `watchdeck views` and the
console's command palette."""

from __future__ import annotations

from collections.abc import Mapping

from console.profile_schema import Profile
from console.roles import allows


def view_refusal(
    state: Mapping[str, object], profile: Profile, role: str | None
) -> str | None:
    """Why `role` may not open the view whose saved `state` names a dashboard of
    `profile`; None when it may. A dashboard the profile no longer has is not
    refused here: opening the view says that."""
    if not allows(profile.roles, role):
        listed = ", ".join(profile.roles)
        return f"the profile {profile.profile!r} is for {listed}, not {role}"
    dashboard = profile.dashboard(str(state.get("dashboard", "")))
    if dashboard is not None and not allows(dashboard.roles, role):
        return (
            f"the dashboard {dashboard.id!r} of {profile.profile!r} is for "
            f"{', '.join(dashboard.roles)}, not {role}"
        )
    return None

"""Whether a role may open a saved view: the view's profile and its dashboard must
both be for that role (or list no roles). Shared by `watchdeck views` and the
console's command palette."""

from __future__ import annotations

from collections.abc import Mapping

from console.problems import ProfileError
from console.profile_catalog import ProfileNotFound, resolve_profile
from console.profile_loader import load_profile
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


class ViewAccess:
    """Judges stored views for one role, loading each profile a view names once.

    A view whose profile is not on this host, or no longer loads, is not refused:
    there is nothing to judge it by, and opening it says what is wrong."""

    def __init__(self, role: str | None) -> None:
        self.role = role
        """The role views are judged for; None allows every view."""
        self._profiles: dict[str, Profile | None] = {}

    def refusal(self, state: Mapping[str, object]) -> str | None:
        """Why the role may not open the view saved as `state`; None if it may."""
        if self.role is None:
            return None
        reference = str(state.get("profile_path") or state.get("profile") or "")
        if reference not in self._profiles:
            self._profiles[reference] = _load(reference)
        profile = self._profiles[reference]
        if profile is None:
            return None
        return view_refusal(state, profile, self.role)


def _load(reference: str) -> Profile | None:
    try:
        return load_profile(resolve_profile(reference)).profile
    except (ProfileNotFound, ProfileError):
        return None

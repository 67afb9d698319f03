"""Who may read compliance figures, run the weekly checks and build an inspection pack (django-rules).

Deny by default. The figures a reader sees are always counted over the duties they could open
(compliance.scope), so a permission here never widens what anyone reads.
"""

from __future__ import annotations

from safecare.core.roles import Role
from safecare.households.rules import _role_in, add_perm

from .scope import SERVICE_ROLES, TEAM_ROLES, WORKER_ROLES

# The service's figures, the weekly checks of the whole service, and inspection packs.
is_service_reader = _role_in(*SERVICE_ROLES)
# A team manager: the team's figures and the weekly checks of the team's households.
is_team_reader = _role_in(*TEAM_ROLES)
# A worker: the figures of their own duties.
is_worker_reader = _role_in(*WORKER_ROLES)

add_perm("compliance.view_report", is_service_reader | is_team_reader | is_worker_reader)
add_perm("compliance.run_checks", is_service_reader | _role_in(Role.FOSTERING_TEAM_MANAGER))
add_perm("compliance.make_pack", is_service_reader)

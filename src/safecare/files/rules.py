"""Action permissions on confidential files (django-rules). Deny by default.

What a user may do; the services check the record is theirs (files.selectors' scopes).
"""

from __future__ import annotations

from django.conf import settings
from rules.predicates import Predicate

from safecare.core.roles import ALL_HOUSEHOLDS_ROLES, Role
from safecare.households.rules import _role_in, add_perm

is_carer = _role_in(Role.CARER)
# PH-1: the workers who give carers documents: the household's and the child's social workers
# and their managers.
is_sharer = _role_in(
    Role.SUPERVISING_SW,
    Role.ASSESSING_SW,
    Role.CHILDS_SW,
    Role.FOSTERING_TEAM_MANAGER,
    Role.CHILDRENS_TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.FOSTERING_MANAGER,
)
# PH-3: those at the placement planning meeting who record what it decided about photos.
is_photo_rules_recorder = _role_in(Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER, Role.SUPERVISING_SW)
# PH-5: the household's SSW (and the team manager) agree which photos a family keeps.
is_keep_decider = _role_in(Role.SUPERVISING_SW, Role.FOSTERING_TEAM_MANAGER)
# PH-5, PH-6: the child's social worker receives the photos and acts on a loss.
is_childs_worker = _role_in(Role.CHILDS_SW, Role.CHILDRENS_TEAM_MANAGER)
# Subject access: the managers who see every household.
is_export_maker = _role_in(*ALL_HOUSEHOLDS_ROLES)


def _retention_confirmer(user: object) -> bool:
    # The role is a setting, read when asked: a deployment (or a test) may name another.
    return bool(
        getattr(user, "is_active", False) and getattr(user, "role", None) == settings.SAFECARE_RETENTION_ROLE
    )


is_retention_confirmer = Predicate(_retention_confirmer, name="role is SAFECARE_RETENTION_ROLE")


add_perm("files.share_document", is_sharer)
add_perm("files.withdraw_document", is_sharer)
add_perm("files.download_document", is_sharer)
add_perm("files.send_report", is_carer)
add_perm("files.record_photo_rules", is_photo_rules_recorder)
add_perm("files.upload_photo", is_carer)
add_perm("files.ask_to_keep", is_carer)
add_perm("files.decide_keep", is_keep_decider)
add_perm("files.receive_photos", is_childs_worker)
add_perm("files.report_loss", is_carer)
add_perm("files.acknowledge_loss", is_childs_worker)
add_perm("files.make_export", is_export_maker)
add_perm("files.confirm_retention", is_retention_confirmer)

"""The roles of rules: Who sees what. One role per account; allocations say which cases."""

from django.db import models


class Role(models.TextChoices):
    CARER = "carer", "Foster carer"
    ASSESSING_SW = "assessing_sw", "Assessing social worker"
    SUPERVISING_SW = "supervising_sw", "Supervising social worker"
    CHILDS_SW = "childs_sw", "Child's social worker"
    FOSTERING_TEAM_MANAGER = "fostering_team_manager", "Fostering team manager"
    CHILDRENS_TEAM_MANAGER = "childrens_team_manager", "Children's team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    FOSTERING_MANAGER = "fostering_manager", "Fostering manager"
    HEAD_OF_FOSTERING = "head_of_fostering", "Head of fostering"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    BUSINESS_SUPPORT = "business_support", "Business support officer"
    PANEL_MEMBER = "panel_member", "Panel member"
    AGENCY_DECISION_MAKER = "agency_decision_maker", "Agency decision maker"
    SERVICE_ADMIN = "service_admin", "Service administrator"


STAFF_ROLES = frozenset(Role) - {Role.CARER}

# Who sees every household (and the children placed there) of the service.
ALL_HOUSEHOLDS_ROLES = frozenset({Role.FOSTERING_MANAGER, Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE})
# Who sees every child of the service.
ALL_CHILDREN_ROLES = frozenset({Role.SERVICE_MANAGER, Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE})
# Managers whose dashboards show their team's tasks.
TEAM_MANAGER_ROLES = frozenset({Role.FOSTERING_TEAM_MANAGER, Role.CHILDRENS_TEAM_MANAGER})
# Managers whose dashboards show every task of the service.
SERVICE_DASHBOARD_ROLES = frozenset(
    {Role.SERVICE_MANAGER, Role.FOSTERING_MANAGER, Role.HEAD_OF_FOSTERING, Role.HEAD_OF_SERVICE}
)
# Managers who may read a case record's change history (rules: Everywhere).
HISTORY_READER_ROLES = TEAM_MANAGER_ROLES | SERVICE_DASHBOARD_ROLES

# Separation of duties: giving an account one of these roles (each reaches case content through
# its scope or its allocations, or manages people and so could allocate itself) needs a second
# person to confirm it: another service administrator or the head of service. Carers reach a
# household only when its workers add them; business support sees no case content.
ROLES_NEEDING_CONFIRMATION = STAFF_ROLES - {Role.BUSINESS_SUPPORT}
# Who may confirm: besides another service administrator, the head of service (who may also
# give such a role directly).
ROLE_CONFIRMERS = frozenset({Role.SERVICE_ADMIN, Role.HEAD_OF_SERVICE})

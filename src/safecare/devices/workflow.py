"""The CCTV exception request as a state machine (CX-1 to CX-6).

The table is the procedure: which step may follow which, and what each step
is called. devices.services_cctv.request_transition is the one entry point that
moves a request, after the step's own guards have passed.
"""

from __future__ import annotations

from .models import RequestStatus as S

TRANSITIONS: dict[str, dict[str, str]] = {
    # CX-1: the SSW writes the report, then submits it for signature.
    S.DRAFT: {S.SIGNING: "submit", S.WITHDRAWN: "withdraw"},
    # CX-3: carers, then the SSW, then the fostering team manager sign; a change means a new report.
    S.SIGNING: {
        S.AWAITING_DECISION: "last signature",
        S.DRAFT: "change the report",
        S.REOPENED: "new child placed",
        S.WITHDRAWN: "withdraw",
    },
    # CX-3, CX-4: the decider decides once every CSW has answered.
    S.AWAITING_DECISION: {
        S.AGREED: "agree",
        S.NOT_AGREED: "do not agree",
        S.DRAFT: "change the report",
        S.REOPENED: "new child placed",
        S.WITHDRAWN: "withdraw",
    },
    # CX-6: the exception holds for the period and the children named; a change reopens it.
    S.AGREED: {S.REOPENED: "reopen", S.WITHDRAWN: "withdraw"},
    # CX-6: reopened by a child's placement, it holds again once that child has left and every
    # child placed is named in the agreed report (services_cctv.request_restore_after_placement_ended).
    S.REOPENED: {S.SIGNING: "submit", S.AGREED: "the child not named has left", S.WITHDRAWN: "withdraw"},
    S.NOT_AGREED: {},
    S.WITHDRAWN: {},
}


def may_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, {})

"""Figure 2: the declared role × view matrix. A view that is not in the matrix
fails here, so nobody adds a page without deciding who may open it."""

import pytest

from jour.access import PASSWORD_STEP, PUBLIC
from jour.models import Role, User
from tests.personas import login_verified
from tests.urlwalk import sample_path, site_views

C, S, B, A = Role.COORDINATOR, Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR
EVERYONE = {C, S, B, A}

MATRIX = {
    "start": EVERYONE,
    "backup_codes": EVERYONE,
    "account_list": {C},
    "account_detail": {C},
    "account_action": {C},
    "invitation_action": {C},
    "audit_log": {C},
    "case_list": {C, S},
    "case_create": {C},
    "case_detail": {C, S},
    "case_edit": {C, S},
    "case_print": {C, S},
    "journal_create": {C, S},
    "journal_correct": {C, S},
    "case_assign": {C},
    "assignment_end": {C},
    "attempt_create": {C, S},
    "action_create": {C, S},
    "action_delete": {C, S},
    "case_close": {C},
    "case_reopen": {C},
    "notification_list": {C, S},
    "notification_read": {C, S},
    "kpi": {C, B, A},
    "paper_create": {C, S},
    "paper_shredded": {C, S},
    "shredding_list": {C, S},
    "retention_preview": {C},
    "hold_create": {C},
    "hold_release": {C},
    "seeker_data_archive": {C},
    "seeker_data_download": {C},
    "seeker_erase": {C},
    "requirement_list": {C, B, A},
    # compliance: the yearly assessment, the assurance and the action plan
    "assessment_list": {C, B, A},
    "assessment_detail": {C, B, A},
    "assessment_ready": {C, B},
    "assessment_sign": {A},
    "assessment_new_version": {C, B},
    "answer_edit": {C, B, A},
    "evidence_upload": {C, B},
    "evidence_link": {C, B},
    "evidence_new_revision": {C, B},
    "evidence_unlink": {C, B},
    "evidence_download": {C, B, A},
    "assurance_status": {C, B, A},
    "assurance_pdf": {C, B, A},
    "assurance_json": {C, B, A},
    "assurance_verify": {C, B, A},
    "action_plan": {C, B, A},
    "action_item_edit": {C, B},
    "report_list": {C, B, A},
    "annual_meeting_list": {C, B, A},
    "federation_sending_list": {C, B, A},
    "assurance_sent": {C, B},
    # members: people register (people_views)
    "people_list": {C},
    "people_export": {C},
    "person_create": {C},
    "person_detail": {C},
    "person_edit": {C},
    "engagement_create": {C},
    "engagement_end": {C},
    "person_erase": {C},
    "volunteer_list": {C},
    "volunteer_create": {C},
    "volunteer_edit": {C},
    "pledge_download": {C},
    "pledge_create": {C},
    "pledge_scan_delete": {C},
    "person_invite": {C},
    "supervision_list": {C},
    "board": {C, B, A},
    "board_term_create": {C},
    "board_term_end": {C},
    "federation_export": {C},
    # calendars: appointments, feeds, the phone and the mailbox
    "calendar": EVERYONE,
    "calendar_month": EVERYONE,
    "calendar_week": EVERYONE,
    "appointment_create": {C, S},
    "appointment_detail": EVERYONE,
    "appointment_edit": {C, S},
    "appointment_delete": {C, S},
    "feed_settings": EVERYONE,
    "place_list": {C},
    "circumstance_list": {C},
    "circumstance_edit": {C},
    "place_edit": {C},
    "phone_page": {C, S},
    "phone_hours": {C},
    "phone_closure_add": {C},
    "phone_closure_remove": {C},
    "phone_forwarded": {C, S},
    "mailbox_read": {C, S},
    "witness_support_list": {C, S},
    "witness_support_create": {C, S},
    "witness_support_edit": {C, S},
    "witness_support_delete": {C, S},
    # stats: the report (each role its own view of it) and the protected exports
    "statistics": EVERYONE,
    "statistics_export": {C, B},
    "federation_statistics": {C, B},
    "federation_statistics_export": {C, B},
    # partners: the register, routines, and a case's referrals, risk check and routine
    "partner_list": EVERYONE,
    "partner_detail": EVERYONE,
    "partner_create": {C},
    "partner_edit": {C},
    "routine_list": EVERYONE,
    "routine_detail": EVERYONE,
    "routine_create": {C},
    "routine_edit": {C},
    "routine_confirm": {C},
    "referral_create": {C, S},
    "risk_check_create": {C, S},
    "risk_confirm_urgent": {C},
    "routine_step": {C, S},
}

ROLE_VIEWS = [
    (name, route, access) for name, route, _cb, access in site_views() if access not in (PUBLIC, PASSWORD_STEP)
]


def test_every_role_view_is_in_the_matrix():
    assert {name for name, _route, _access in ROLE_VIEWS} == set(MATRIX)


@pytest.mark.parametrize(("name", "route", "access"), ROLE_VIEWS)
def test_declared_roles_match_the_matrix(name, route, access):
    assert set(access) == MATRIX[name]


@pytest.mark.parametrize(("name", "route", "access"), ROLE_VIEWS)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_its_pages(client, people, name, route, access, role):
    user = people.by_role()[role]
    login_verified(client, user)
    path = sample_path(route)
    before = list(User.objects.order_by("pk").values_list("pk", "is_active", "session_epoch"))
    for method in (client.get, client.post):
        status = method(path).status_code
        if role in MATRIX[name]:
            assert status != 403, (name, role, method)
        else:
            assert status == 403, (name, role, method, status)
    if role not in MATRIX[name]:
        after = list(User.objects.order_by("pk").values_list("pk", "is_active", "session_epoch"))
        assert before == after

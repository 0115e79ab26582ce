"""Every URL pattern of the site, with sample arguments, for tests that walk them all."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jour.access import access_of


def iter_patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from iter_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern, namespace


def site_views():
    """(name, pattern, callback, access) for our own views; the admin is walked separately."""
    for route, pattern, namespace in iter_patterns():
        if namespace == "admin":
            continue
        yield pattern.name, route, pattern.callback, access_of(pattern.callback)


def admin_routes():
    return [route for route, _pattern, namespace in iter_patterns() if namespace == "admin"]


SAMPLE_VALUES = {"pk": "1", "action": "deactivate", "token": "x" * 43, "app_label": "jour", "object_id": "1"}


def sample_path(route: str) -> str:
    """Turn a route such as 'people/accounts/<int:pk>/' into a concrete path."""
    import re

    def fill(match):
        name = match.group(2)
        return SAMPLE_VALUES.get(name, "1")

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), route)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + path


def path_of(name: str, route: str, kwargs: dict[str, dict]) -> str:
    """The path of the view `name`: at the real rows of `kwargs` (real_url_kwargs) where
    it has them, else at sample values."""
    found = kwargs.get(name)
    return reverse(name, kwargs=found) if found else sample_path(route)


def real_url_kwargs(people) -> dict[str, dict]:
    """URL arguments that point at real rows, so that a walk reaches the views
    themselves and not only their 404: an open invitation and a case of Alex's."""
    from datetime import timedelta

    from django.utils import timezone

    from calendars.models import Appointment, PhoneClosure, Place, WitnessSupport
    from cases import services
    from cases.models import Action, Circumstance, JournalEntry, PaperRecord, RetentionHold, RiskCheck
    from compliance import catalogue
    from compliance import services as compliance_services
    from compliance.models import (
        ActionItem,
        ActionPlan,
        Answer,
        Assessment,
        EvidenceDocument,
        EvidenceLink,
        EvidenceRevision,
    )
    from jour.models import Invitation, Role
    from members.models import BoardTerm, ConfidentialityPledge, Membership, Person, VolunteerAssignment
    from partners.models import Partner, Routine, RoutineStep, RoutineVersion

    invitation = Invitation.objects.create(
        email="new@jour.test", name="New Person", role=Role.SUPPORT_PERSON, invited_by=people.coordinator
    )
    token = invitation.issue_token()
    invitation.save()
    case = services.register_case(
        data={
            "received_at": people.coordinator.date_joined,
            "channel": "phone",
            "crime_type": "assault",
            "first_name": "Walkie",
        },
        by=people.coordinator,
    )
    # Confirmed: on the demo jour (the browser walk) Alex is already at capacity.
    assignment = services.assign(
        case=case, person=people.alex, kind="support", by=people.coordinator, confirm_over_capacity=True
    )
    on_case = {"pk": case.pk}
    person = Person.objects.create(name="Walkie Person", email="walkie@jour.test")
    since = people.coordinator.date_joined.date()
    membership = Membership.objects.create(person=person, kind="member", start=since)
    volunteering = VolunteerAssignment.objects.create(person=person, start=since)
    term = BoardTerm.objects.create(person=person, role="chair", start=since)
    pledge = ConfidentialityPledge.objects.create(person=person, signed_on=since, scan="pledges/missing.pdf")
    on_person = {"pk": person.pk}
    year = people.coordinator.date_joined.year
    # One requirement is enough to reach every view; a whole year costs each walk 38 rows.
    requirement = catalogue.current_revision().requirements.order_by("position").first()
    assessment = Assessment.objects.create(year=year, revision=requirement.revision, created_by=people.coordinator)
    answer = Answer(assessment=assessment, requirement=requirement)
    for field in compliance_services.SNAPSHOT_FIELDS:
        setattr(answer, field, getattr(requirement, field))
    answer.save()
    document = EvidenceDocument.objects.create(title="Protokoll", created_by=people.coordinator)
    revision = EvidenceRevision.objects.create(
        document=document, number=1, file="evidence/missing.pdf", kind="pdf", size=1, sha256="0" * 64
    )
    EvidenceLink.objects.create(answer=answer, document=document)
    plan = ActionPlan.objects.create(year=year)
    item = ActionItem.objects.create(plan=plan, what="Rutin", owner=person, due_on=since)
    on_year = {"year": year}
    on_answer = {"year": year, "code": answer.code}
    on_document = {**on_answer, "document": document.pk}
    on_version = {"year": year, "version": 1}
    paper = PaperRecord.objects.create(case=case, kind="police_referral", filed_by=people.coordinator)
    hold = RetentionHold.objects.create(case=case, reason="Rättegång", until=since, created_by=people.coordinator)
    start = timezone.now() + timedelta(days=3)
    meeting = Appointment.objects.create(
        kind="meeting", case=case, starts_at=start, ends_at=start + timedelta(hours=1), created_by=people.coordinator
    )
    meeting.participants.add(people.alex)
    closure = PhoneClosure.objects.create(day=start.date(), reason="Utbildning", created_by=people.coordinator)
    on_appointment = {"pk": meeting.pk}
    court = Place.objects.create(name="Tingsrätten", kind="court")
    marker, _created = Circumstance.objects.get_or_create(code="hate", defaults={"name": "Hatbrott"})
    witnessed = WitnessSupport.objects.create(
        supported_on=since, court=court, role="witness", case=case, supported_by=people.alex, recorded_by=people.alex
    )
    partner = Partner.objects.create(name="Socialtjänsten", kind="social")
    routine = Routine.objects.create(name="Rutin", crime_type="assault")
    version = RoutineVersion.objects.create(routine=routine, number=1, created_by=people.coordinator)
    step = RoutineStep.objects.create(version=version, position=1, title="Första steget", partner=partner)
    risk = RiskCheck.objects.create(
        case=case,
        immediate_danger="yes",
        threats_known_person="no",
        children_at_risk="no",
        protected_identity_needed="no",
        recorded_by=people.coordinator,
    )
    action = Action.objects.create(case=case, done_on=since, kind="other", done_by=people.alex)
    entry = JournalEntry.objects.create(case=case, text="Ringde", author=people.alex)
    return {
        "account_detail": {"pk": people.alex.pk},
        "account_action": {"pk": people.alex.pk, "action": "deactivate"},
        "invitation_action": {"pk": invitation.pk, "action": "revoke"},
        "invitation": {"token": token},
        **dict.fromkeys(("case_detail", "case_edit", "case_assign", "attempt_create", "action_create"), on_case),
        **dict.fromkeys(("case_print", "journal_create"), on_case),
        "journal_correct": {"pk": case.pk, "entry_pk": entry.pk},
        "action_delete": {"pk": case.pk, "action_pk": action.pk},
        **dict.fromkeys(("case_close", "case_reopen"), on_case),
        "assignment_end": {"pk": case.pk, "assignment_pk": assignment.pk},
        **dict.fromkeys(("person_detail", "person_edit", "engagement_create", "person_erase"), on_person),
        "engagement_end": {"pk": person.pk, "kind": "membership", "engagement_pk": membership.pk},
        "volunteer_create": on_person,
        "volunteer_edit": {"pk": volunteering.pk},
        **dict.fromkeys(("person_invite", "pledge_create"), on_person),
        "pledge_scan_delete": {"pk": person.pk, "pledge_pk": pledge.pk},
        "pledge_download": {"pk": pledge.pk},
        "board_term_end": {"pk": term.pk},
        "federation_export": {"fmt": "csv"},
        **dict.fromkeys(
            ("assessment_detail", "assessment_ready", "assessment_sign", "assessment_new_version", "action_plan"),
            on_year,
        ),
        **dict.fromkeys(("answer_edit", "evidence_upload", "evidence_link"), on_answer),
        **dict.fromkeys(("evidence_new_revision", "evidence_unlink"), on_document),
        **dict.fromkeys(("assurance_status", "assurance_pdf", "assurance_json", "assurance_sent"), on_version),
        "evidence_download": {"pk": revision.pk},
        "action_item_edit": {"pk": item.pk},
        **dict.fromkeys(("paper_create", "hold_create", "seeker_erase"), on_case),
        "paper_shredded": {"pk": case.pk, "record_pk": paper.pk},
        "hold_release": {"pk": hold.pk},
        **dict.fromkeys(("seeker_data_archive", "seeker_data_download"), on_case),
        "calendar_month": {"year": start.year, "month": start.month},
        "calendar_week": {"year": start.isocalendar().year, "week": start.isocalendar().week},
        **dict.fromkeys(("appointment_detail", "appointment_edit", "appointment_delete"), on_appointment),
        "phone_closure_remove": {"pk": closure.pk},
        "calendar_feed": {"token": "not-a-token"},
        "place_edit": {"pk": court.pk},
        "circumstance_edit": {"pk": marker.pk},
        "federation_statistics_export": {"fmt": "csv"},
        **dict.fromkeys(("witness_support_edit", "witness_support_delete"), {"pk": witnessed.pk}),
        "statistics_export": {"fmt": "csv"},
        **dict.fromkeys(("partner_detail", "partner_edit"), {"pk": partner.pk}),
        **dict.fromkeys(("routine_detail", "routine_edit", "routine_confirm"), {"pk": routine.pk}),
        **dict.fromkeys(("referral_create", "risk_check_create"), on_case),
        "risk_confirm_urgent": {"pk": case.pk, "check_pk": risk.pk},
        "routine_step": {"pk": case.pk, "step_pk": step.pk, "action": "done"},
    }


def duplicate_ids(html: str) -> list[str]:
    """The id attributes that occur more than once in a page: a label's `for`
    and aria references then point at whichever comes first."""
    from collections import Counter
    from html.parser import HTMLParser

    seen = Counter()

    class Ids(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name == "id" and value is not None:
                    seen[value] += 1

        handle_startendtag = handle_starttag

    Ids().feed(html)
    return sorted(value for value, count in seen.items() if count > 1)


def empty_radios(html: str) -> list[str]:
    """The names of radio groups offering an empty "---------" answer: chosen
    before anyone chose, it reads as an answer given."""
    from html.parser import HTMLParser

    found = []

    class Radios(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("type") == "radio" and not attrs.get("value"):
                found.append(attrs.get("name", ""))

        handle_startendtag = handle_starttag

    Radios().feed(html)
    return found

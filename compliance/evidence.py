"""Evidence from live data, beside the board's own assessment of a requirement.

Each signal in the catalogue maps to one function here. A signal whose source
the system does not record yet says so ("manual") instead of showing a value
it cannot know.

Every function takes `day`, the evidence day of the assessed year (today, or 31
December: compliance.content.evidence_day), and reads only what had happened
by that day: a record made the next January does not change a year's evidence.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calendars import mailbox, phone
from cases.models import PaperRecord
from cases.paper import overdue_on
from cases.selectors import kpi
from jour import formatting
from jour.workdays import STOCKHOLM
from members import followup
from members.board import coordinator_employments, coordinator_rule
from members.federation import last_federation_export
from members.models import Employment, VolunteerAssignment, active_on, has_signed_pledge
from members.services import leavers_with_active_accounts, unlinked_case_accounts

from . import followup as followup_with_calendar
from .models import AnnualMeeting, Assessment, AssuranceSending, FederationSending, ReportKind, ReportSubmission

OK, NOT_OK, MANUAL = "ok", "not_ok", "manual"


@dataclass(frozen=True)
class Evidence:
    state: str
    summary: str


def label(state: str) -> str:
    """A signal's state in words."""
    if state == OK:
        return _("Met in the data")
    if state == NOT_OK:
        return _("Not met in the data")
    return _("Assess by hand")


def _end_of(day: date) -> datetime:
    """The first moment after `day`, in Stockholm."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=STOCKHOLM)


def first_contact_figures(day: date) -> dict:
    """The first-contact KPI of `day`'s year as it stood at the end of `day`,
    by priority and in all (aggregates only): cases received from 1 January to
    `day`, and only attempts and deadlines reached by then.
    ``at_registration`` counts the contacts made when the case was registered
    (anonymous calls and visits): they had no deadline, so they are in no share."""

    start = datetime(day.year, 1, 1, tzinfo=STOCKHOLM)
    end = min(_end_of(day), datetime(day.year + 1, 1, 1, tzinfo=STOCKHOLM))
    rows = kpi(start=start, end=end, granularity="year", now=min(end, timezone.now()))
    figures = {}
    for priority in ("normal", "urgent", None):
        chosen = [r for r in rows if priority is None or r.priority == priority]
        decided = sum(r.decided for r in chosen)
        kept = sum(r.kept for r in chosen)
        figures[priority or "all"] = {
            "decided": decided,
            "kept": kept,
            "per_mille": round(kept * 1000 / decided) if decided else None,
            "at_registration": sum(r.at_registration for r in chosen),
        }
    figures["target_per_mille"] = round(settings.JOUR_FIRST_CONTACT_TARGET * 1000)
    return figures


def _at_registration(n: int) -> str:
    return ngettext(
        "Not counted: %(n)s contact at registration (an anonymous call or visit), with no deadline to keep.",
        "Not counted: %(n)s contacts at registration (anonymous calls or visits), with no deadline to keep.",
        n,
    ) % {"n": n}


def first_contact_kpi(day: date) -> Evidence:
    total = first_contact_figures(day)["all"]
    decided, kept, at_registration = total["decided"], total["kept"], total["at_registration"]
    besides = f" {_at_registration(at_registration)}" if at_registration else ""
    if not decided:
        nothing = _("No case this year has reached its deadline or a first attempt yet.")
        return Evidence(MANUAL, nothing + besides)
    share = kept / decided
    target = settings.JOUR_FIRST_CONTACT_TARGET
    summary = _(
        "%(kept)s of %(decided)s cases this year (%(share)s) had a first attempt within the deadline; "
        "the jour's own target is %(target)s."
    ) % {
        "kept": kept,
        "decided": decided,
        "share": formatting.percent_of(kept, decided),
        "target": formatting.percent(target),
    }
    return Evidence(OK if share >= target else NOT_OK, summary + besides)


def pledges_signed(day: date) -> Evidence:
    """Everyone who volunteered, was employed or sat on the board during the
    year up to `day` has a signed pledge on record by `day` (the pledge is the
    person's, whatever they do)."""

    working = followup.working_in_year(day)
    missing = working.exclude(has_signed_pledge(day)).count()
    if missing:
        return Evidence(
            NOT_OK,
            ngettext(
                "%(n)s volunteer, employee or board member of the year has no signed pledge.",
                "%(n)s volunteers, employees and board members of the year have no signed pledge.",
                missing,
            )
            % {"n": missing},
        )
    return Evidence(
        OK,
        _("Every volunteer, employee and board member of the year (%(n)s) has signed the pledge.")
        % {"n": working.count()},
    )


def volunteers_enough(day: date) -> Evidence:
    """Enough support persons and witness supporters (S1): those active on
    `day` in each role against the jour's own minimum (JOUR_MIN_SUPPORT_PERSONS,
    JOUR_MIN_WITNESS_SUPPORTERS; the federation sets no number). A person
    counts once per role, and in both when they hold both; basic training is
    not asked for here (the volunteer list flags it). The year's count, everyone
    who held the role at some time from 1 January to `day`, is told beside it."""

    start = date(day.year, 1, 1)
    on_the_day = VolunteerAssignment.objects.filter(active_on(day))
    in_the_year = VolunteerAssignment.objects.filter(Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=start)))

    def people(assignments, role: str) -> int:
        return assignments.filter(**{role: True}).values("person").distinct().count()

    counts = {
        "support": people(on_the_day, "support_person"),
        "witness": people(on_the_day, "witness_supporter"),
        "year_support": people(in_the_year, "support_person"),
        "year_witness": people(in_the_year, "witness_supporter"),
        "min_support": settings.JOUR_MIN_SUPPORT_PERSONS,
        "min_witness": settings.JOUR_MIN_WITNESS_SUPPORTERS,
        "date": day.isoformat(),
        "year": day.year,
    }
    enough = counts["support"] >= counts["min_support"] and counts["witness"] >= counts["min_witness"]
    summary = (
        _(
            "Active on %(date)s: support persons %(support)s, witness supporters %(witness)s (the jour's own "
            "minimum: %(min_support)s and %(min_witness)s). At some time in %(year)s up to that day: "
            "%(year_support)s and %(year_witness)s."
        )
        % counts
    )
    return Evidence(OK if enough else NOT_OK, summary)


def _days_covered(employments, first: date, last: date) -> set[date]:
    """The days from `first` to `last` on which one of `employments` was held (its end is the first day without)."""
    covered = set()
    for employment in employments:
        begin = max(employment.start, first)
        stop = min(employment.end - timedelta(days=1), last) if employment.end else last
        covered.update(begin + timedelta(days=n) for n in range((stop - begin).days + 1))
    return covered


def coordinator_employed(day: date) -> Evidence:
    """An employed coordinator (S3), from the member register's employments.

    An employment counts as the coordinator's when its title names a
    coordinator (samordnare, koordinator, coordinator) or its person's login
    account has the coordinator role (members.board.coordinator_employments).
    A volunteer coordinator with no employment does not count: the requirement
    asks for an employed one. Met when such an employment is active on `day`;
    the summary says on how many days of the year up to `day` there was one,
    so a gap shows. Employments with other titles are not guessed at: when
    they are all the year has, the signal asks for a judgement by hand."""

    first = date(day.year, 1, 1)
    during = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=first))
    employments = list(coordinator_employments().filter(during))
    covered = _days_covered(employments, first, day)
    if not covered:
        others = Employment.objects.filter(during).count()
        if others:
            return Evidence(
                MANUAL,
                ngettext(
                    "No employment in %(year)s is a coordinator's by its title or login account; %(n)s other "
                    "employment: assess by hand whether it is the coordinator's.",
                    "No employment in %(year)s is a coordinator's by its title or login account; %(n)s other "
                    "employments: assess by hand whether one of them is the coordinator's.",
                    others,
                )
                % {"year": day.year, "n": others},
            )
        return Evidence(
            NOT_OK,
            _("No coordinator was employed in %(year)s up to %(date)s.") % {"year": day.year, "date": day.isoformat()},
        )
    summary = _("A coordinator was employed on %(covered)s of the %(days)s days of %(year)s up to %(date)s.") % {
        "covered": len(covered),
        "days": (day - first).days + 1,
        "year": day.year,
        "date": day.isoformat(),
    }
    if day not in covered:
        return Evidence(NOT_OK, summary + " " + _("No coordinator is employed on that day."))
    return Evidence(OK, summary)


def volunteer_followup(day: date) -> Evidence:
    """Follow-up of the volunteers (S4): supervision in the member register or
    held through the calendar (compliance/followup.py)."""

    lacking = followup_with_calendar.without_followup(day).count()
    months = followup.followup_months()
    if lacking:
        return Evidence(
            NOT_OK,
            ngettext(
                "%(n)s active volunteer has had no follow-up in %(months)s months.",
                "%(n)s active volunteers have had no follow-up in %(months)s months.",
                lacking,
            )
            % {"n": lacking, "months": months},
        )
    return Evidence(OK, _("Every active volunteer had follow-up within %(months)s months.") % {"months": months})


def coordinator_co_opted(day: date) -> Evidence:

    rule = coordinator_rule(day)
    return Evidence(OK if rule.ok else NOT_OK, rule.reason)


def leavers_blocked(day: date) -> Evidence:
    """No active account of someone who has left, and no active account with a
    case role outside the register, which the leaving rule cannot reach."""

    open_accounts = len(leavers_with_active_accounts(day))
    unlinked = unlinked_case_accounts().count()
    found = []
    if open_accounts:
        found.append(
            ngettext(
                "%(n)s active login account belongs to someone who has left.",
                "%(n)s active login accounts belong to people who have left.",
                open_accounts,
            )
            % {"n": open_accounts}
        )
    if unlinked:
        found.append(
            ngettext(
                "%(n)s active login account with a case role belongs to nobody in the register.",
                "%(n)s active login accounts with a case role belong to nobody in the register.",
                unlinked,
            )
            % {"n": unlinked}
        )
    if found:
        return Evidence(NOT_OK, " ".join(found))
    return Evidence(
        OK,
        _(
            "No active login account belongs to someone who has left, and every account with a case role "
            "belongs to someone in the register."
        ),
    )


def federation_export(day: date) -> Evidence:
    """The older signal of G8 (years started before the sending register): an
    export downloaded during the year, up to `day`. A download is not a sending."""

    last = last_federation_export(until=day)
    if last is None:
        return Evidence(NOT_OK, _("No export of contact details to the federation is recorded."))
    when = timezone.localtime(last.at).date()
    summary = _("Last export of contact details: %(date)s.") % {"date": when.isoformat()}
    return Evidence(OK if when.year == day.year else NOT_OK, summary)


def federation_sending(day: date) -> Evidence:
    """G8: the contact details were sent to the federation during the year, up to `day`."""

    sent = FederationSending.objects.filter(sent_on__gte=date(day.year, 1, 1), sent_on__lte=day)
    last = sent.first()
    if last is None:
        return Evidence(
            NOT_OK,
            _("No sending of contact details to the federation is recorded for %(year)s.") % {"year": day.year},
        )
    return Evidence(
        OK,
        ngettext(
            "%(n)s sending of contact details to the federation in %(year)s; the latest %(date)s (%(how)s).",
            "%(n)s sendings of contact details to the federation in %(year)s; the latest %(date)s (%(how)s).",
            sent.count(),
        )
        % {"n": sent.count(), "year": day.year, "date": last.sent_on.isoformat(), "how": last.get_method_display()},
    )


def annual_meeting_report(day: date) -> Evidence:
    """G9: the annual meeting held during the year (the one that closes the year
    before, see ReportKind) and the annual report sent after it, both by `day`."""

    closed = day.year - 1
    meeting = AnnualMeeting.objects.filter(year=closed, held_on__lte=day).first()
    if meeting is None:
        return Evidence(
            NOT_OK,
            _("No annual meeting for %(closed)s is recorded as held by %(date)s.")
            % {"closed": closed, "date": day.isoformat()},
        )
    held = _("Annual meeting for %(closed)s held %(date)s.") % {"closed": closed, "date": meeting.held_on.isoformat()}
    report = (
        ReportSubmission.objects.filter(
            kind=ReportKind.ANNUAL, year=closed, sent_on__gte=meeting.held_on, sent_on__lte=day
        )
        .order_by("sent_on")
        .first()
    )
    if report is None:
        return Evidence(NOT_OK, held + " " + _("No annual report sent after it is recorded."))
    return Evidence(OK, held + " " + _("Annual report sent %(date)s.") % {"date": report.sent_on.isoformat()})


def grants_report(day: date) -> Evidence:
    """G10: the grants report for the year before, sent to the federation by `day`."""

    closed = day.year - 1
    report = (
        ReportSubmission.objects.filter(kind=ReportKind.GRANTS, year=closed, sent_on__lte=day)
        .order_by("sent_on")
        .first()
    )
    if report is None:
        return Evidence(
            NOT_OK,
            _("No grants report for %(closed)s is recorded as sent by %(date)s.")
            % {"closed": closed, "date": day.isoformat()},
        )
    return Evidence(
        OK, _("Grants report for %(closed)s sent %(date)s.") % {"closed": closed, "date": report.sent_on.isoformat()}
    )


def assurance_sent(day: date) -> Evidence:
    """G2: the signed assurance of the year before was sent to the federation by
    `day` (a year's own assurance is signed and sent the year after it)."""

    signed_year = day.year - 1
    sending = (
        AssuranceSending.objects.filter(assessment__year=signed_year, sent_on__lte=day)
        .order_by("-sent_on", "-pk")
        .first()
    )
    if sending is not None:
        return Evidence(
            OK,
            _("The signed assurance for %(year)s was sent to the federation %(date)s (%(how)s).")
            % {"year": signed_year, "date": sending.sent_on.isoformat(), "how": sending.get_method_display()},
        )
    if not Assessment.objects.filter(year=signed_year).exists():
        return Evidence(
            MANUAL,
            _("The assessment of %(year)s is not kept here: assess by hand.") % {"year": signed_year},
        )
    return Evidence(
        NOT_OK,
        _("The signed assurance for %(year)s is not recorded as sent to the federation by %(date)s.")
        % {"year": signed_year, "date": day.isoformat()},
    )


def yearly_reports(day: date) -> Evidence:
    """The older signal of G9 and G10 (years started before annual_meeting_report
    and grants_report): reports sent during the year up to `day`; the annual
    report is required, grant reports are listed when the jour has recorded any."""

    sent = list(ReportSubmission.objects.filter(sent_on__year=day.year, sent_on__lte=day).order_by("sent_on"))
    if not sent:
        return Evidence(NOT_OK, _("No report sent in %(year)s is recorded.") % {"year": day.year})
    labels = dict(ReportKind.choices)
    summary = "; ".join(
        _("%(report)s: sent %(date)s") % {"report": labels[r.kind], "date": r.sent_on.isoformat()} for r in sent
    )
    if not any(r.kind == ReportKind.ANNUAL for r in sent):
        return Evidence(NOT_OK, _("No annual report is recorded for this year.") + " " + summary + ".")
    return Evidence(OK, summary + ".")


def paper_shredded(day: date) -> Evidence:
    """Paper shredded once due (C6), as it stood on `day`: a referral form once
    the first attempt is made, the rest once the case is closed, whether the
    case is open or closed now (cases/paper.py)."""

    days = settings.JOUR_SHRED_WITHIN_DAYS
    left = overdue_on(day, days).count()
    if left:
        return Evidence(
            NOT_OK,
            ngettext(
                "%(n)s paper document due for shredding more than %(days)s days ago is not confirmed shredded.",
                "%(n)s paper documents due for shredding more than %(days)s days ago are not confirmed shredded.",
                left,
            )
            % {"n": left, "days": days},
        )
    shredded = PaperRecord.objects.filter(
        shredded_at__gte=datetime(day.year, 1, 1, tzinfo=STOCKHOLM), shredded_at__lt=_end_of(day)
    ).count()
    return Evidence(
        OK,
        ngettext(
            "No paper due for shredding more than %(days)s days ago is left; %(n)s document shredded this year.",
            "No paper due for shredding more than %(days)s days ago is left; %(n)s documents shredded this year.",
            shredded,
        )
        % {"days": days, "n": shredded},
    )


def _counted_days(day: date, since: date) -> tuple[date, date]:
    """The days of ``day``'s year that count: from when the log began (or 1
    January) to ``day``, and never today, which is not over yet. Empty
    (first > last) on the first day of a log or on 1 January."""
    first = max(date(day.year, 1, 1), since)
    last = min(day, timezone.localdate() - timedelta(days=1))
    return first, last


def _daily_log(day: date, since: date | None, missing_in, *, none_logged: str, count_missing, all_logged: str):
    """A log that needs an entry for every counted day (or closing) of the year:
    ``missing_in(first, last)`` lists those without one, ``count_missing(n)`` says how many."""
    if since is None:
        return Evidence(NOT_OK, none_logged)
    first, last = _counted_days(day, since)
    if first > last:
        return Evidence(MANUAL, _("Nothing to count yet: counting starts %(date)s.") % {"date": first.isoformat()})
    missing = missing_in(first, last)
    counted = _("Counted since %(date)s.") % {"date": first.isoformat()}
    if missing:
        latest = _("Latest: %(days)s.") % {"days": ", ".join(d.isoformat() for d in missing[-5:])}
        return Evidence(NOT_OK, f"{count_missing(len(missing))} {counted} {latest}")
    return Evidence(OK, f"{all_logged} {counted}")


def phone_forwarding(day: date) -> Evidence:
    """Every closing of the staffed phone followed by a logged forwarding to 116 006,
    as logged by the end of `day` (a closing whose window runs past it is not judged yet)."""

    now = min(_end_of(day), timezone.now())
    return _daily_log(
        day,
        phone.counting_since(),
        lambda first, last: phone.unconfirmed_closings(first, last, now=now),
        none_logged=_("No staffed phone hours are set, so no forwarding to 116 006 can be shown."),
        count_missing=lambda n: (
            ngettext(
                "%(n)s closing of the phone without a logged forwarding to 116 006.",
                "%(n)s closings of the phone without a logged forwarding to 116 006.",
                n,
            )
            % {"n": n}
        ),
        all_logged=_("Every closing of the phone has a logged forwarding to 116 006."),
    )


def mailbox_read(day: date) -> Evidence:
    """A logged mailbox check on every working day."""

    return _daily_log(
        day,
        mailbox.counting_since(),
        mailbox.missing_days,
        none_logged=_("No check of the jour's mailbox is logged."),
        count_missing=lambda n: (
            ngettext(
                "%(n)s working day without a logged mailbox check.",
                "%(n)s working days without a logged mailbox check.",
                n,
            )
            % {"n": n}
        ),
        all_logged=_("The mailbox was logged as read on every working day."),
    )


SIGNALS = {
    "first_contact_kpi": first_contact_kpi,
    "volunteers_enough": volunteers_enough,
    "coordinator_employed": coordinator_employed,
    "pledges_signed": pledges_signed,
    "volunteer_followup": volunteer_followup,
    "coordinator_co_opted": coordinator_co_opted,
    "leavers_blocked": leavers_blocked,
    "assurance_sent": assurance_sent,
    "federation_sending": federation_sending,
    "annual_meeting_report": annual_meeting_report,
    "grants_report": grants_report,
    # Older signals, on the answers of years started before the registers.
    "federation_export": federation_export,
    "yearly_reports": yearly_reports,
    "paper_shredded": paper_shredded,
    "phone_forwarding": phone_forwarding,
    "mailbox_read": mailbox_read,
}


def evidence(signal: str, day: date | None = None) -> Evidence | None:
    """The evidence for one signal, or None for a requirement without one."""
    if not signal:
        return None
    function = SIGNALS.get(signal)
    if function is None:
        return Evidence(MANUAL, _("The system does not record this yet: assess it by hand."))
    return function(day or timezone.localdate())


def evidence_for(signals, day: date | None = None) -> dict[str, Evidence]:
    day = day or timezone.localdate()
    return {signal: evidence(signal, day) for signal in set(signals) if signal}

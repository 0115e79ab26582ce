"""Who may reach what. Every view declares its access here, and nowhere else.

A view is one of:
- public: reachable without logging in (login, invitation links, health check);
- password step: the password is verified but the second factor is not yet
  (the OTP prompt, enrolment, logout);
- for roles: a fully verified user whose role is in the set.

A view that declares nothing is refused by AccessMiddleware: access is denied
by default, and the URL-walking test fails for it.
"""

from collections.abc import Callable, Iterable

from .models import Role

PUBLIC = "public"
PASSWORD_STEP = "password_step"  # noqa: S105 - a marker, not a password

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.SUPPORT_PERSON})
GOVERNANCE_ROLES = frozenset({Role.COORDINATOR, Role.BOARD_MEMBER, Role.AUDITOR})


def _mark(view: Callable, access) -> Callable:
    view.jour_access = access
    return view


def public(view: Callable) -> Callable:
    return _mark(view, PUBLIC)


def password_step(view: Callable) -> Callable:
    return _mark(view, PASSWORD_STEP)


def for_roles(*roles: Role | Iterable[Role]) -> Callable[[Callable], Callable]:
    allowed: set[Role] = set()
    for role in roles:
        allowed.update([role] if isinstance(role, Role) else role)

    def decorator(view: Callable) -> Callable:
        return _mark(view, frozenset(allowed))

    return decorator


def access_of(view: Callable):
    """The access a view declared, or None."""
    access = getattr(view, "jour_access", None)
    if access is None and hasattr(view, "view_class"):
        access = getattr(view.view_class, "jour_access", None)
    return access


def role_may(user, access) -> bool:
    return isinstance(access, frozenset) and user.is_active and user.role in access


# What each role may do, for templates and services. Views declare the same
# through for_roles(); these answer the finer questions inside a page.
def can_manage_accounts(user) -> bool:
    return user.role == Role.COORDINATOR


def can_read_audit_log(user) -> bool:
    return user.role == Role.COORDINATOR


def accounts_visible_to(user):
    """Login accounts a user may list: coordinators see all, others none."""
    from .models import User

    if can_manage_accounts(user):
        return User.objects.all()
    return User.objects.none()


# --- Cases ---------------------------------------------------------------
# A support person sees exactly the cases they are assigned to now; board
# members and auditors see none (they get aggregate figures elsewhere).
CASE_ROLES = frozenset({Role.COORDINATOR, Role.SUPPORT_PERSON})
KPI_ROLES = frozenset({Role.COORDINATOR, Role.BOARD_MEMBER, Role.AUDITOR})


def cases_visible_to(user):
    from cases.models import Case

    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.role == Role.COORDINATOR:
        return Case.objects.all()
    if user.role == Role.SUPPORT_PERSON:
        # One filter() call: both conditions hold for the same assignment row, and
        # a person has at most one open assignment per case, so no duplicates.
        return Case.objects.filter(assignments__person=user, assignments__ended_at__isnull=True)
    return Case.objects.none()


def can_manage_cases(user) -> bool:
    """Register, edit every field, assign, close: the coordinator's work."""
    return user.role == Role.COORDINATOR


# --- People ----------------------------------------------------------------
def can_manage_people(user) -> bool:
    """The member register, volunteers and supervision are the coordinator's."""
    return user.role == Role.COORDINATOR


# --- Calendar ------------------------------------------------------------
# Coordinators see every appointment. A support person sees the shared ones
# (board meetings, group supervision) and those they take part in, a seeker's
# only while the case is theirs. Board members and auditors see board
# meetings and nothing that concerns a seeker.
def appointments_visible_to(user):
    from django.db.models import Q

    from calendars.models import SHARED_KINDS, Appointment, AppointmentKind

    if not user.is_authenticated or not user.is_active:
        return Appointment.objects.none()
    if user.role == Role.COORDINATOR:
        return Appointment.objects.all()
    if user.role == Role.SUPPORT_PERSON:
        own = Appointment.objects.filter(participants=user).filter(
            Q(case__isnull=True) | Q(case__in=cases_visible_to(user).values("pk"))
        )
        return Appointment.objects.filter(Q(kind__in=SHARED_KINDS) | Q(pk__in=own.values("pk")))
    return Appointment.objects.filter(kind=AppointmentKind.BOARD)


def can_plan_appointments(user) -> bool:
    return user.role in CASE_ROLES


def can_change_appointment(user, appointment) -> bool:
    """Coordinators plan everything; a support person changes the seeker
    meetings and hearings they take part in (the caller has already scoped)."""
    from calendars.models import CASE_KINDS

    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.SUPPORT_PERSON and appointment.kind in CASE_KINDS:
        return appointment.participants.filter(pk=user.pk).exists()
    return False


def can_manage_phone_hours(user) -> bool:
    return user.role == Role.COORDINATOR

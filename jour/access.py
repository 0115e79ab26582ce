"""Who may do what. Roles are compared here and nowhere else.

Each capability is a named predicate: `may_manage_cases(user)` is True for an
active user whose role has it. Views declare the capability they need with
`@requires(...)`; templates ask the same predicates through `may`
(`{% if may.manage_cases %}`, see home.context_processors); services and
selectors call them directly. Who receives a message is asked the same way:
`may_run_the_jour.users()` are the active coordinators.

A view is one of:
- public: reachable without logging in (login, invitation links, health check);
- password step: the password is verified but the second factor is not yet
  (the OTP prompt, enrolment, logout);
- a capability: a fully verified user who has it.

A view that declares nothing is refused by AccessMiddleware: access is denied
by default, and the URL-walking test fails for it.

Querysets are scoped next to their model, with these predicates:
`Case.objects.visible_to(user)`, `Appointment.objects.visible_to(user)`,
`WitnessSupport.objects.visible_to(user)`, `accounts_visible_to(user)` below.
A role comparison anywhere else fails tests/jour/test_capabilities.py.
"""

from collections.abc import Callable

from .models import Role, User

PUBLIC = "public"
PASSWORD_STEP = "password_step"  # noqa: S105 - a marker, not a password

C, S, B, A = Role.COORDINATOR, Role.SUPPORT_PERSON, Role.BOARD_MEMBER, Role.AUDITOR


class Capability:
    """Something a user may do, and the roles that may do it."""

    def __init__(self, name: str, *roles: Role):
        self.name = name
        self.roles = frozenset(roles)

    def __call__(self, user) -> bool:
        return bool(user is not None and user.is_authenticated and user.is_active and user.role in self.roles)

    def __iter__(self):
        # The role matrix test reads a view's roles from the capability it declares.
        return iter(self.roles)

    def __repr__(self):
        return f"<Capability {self.name}>"

    def covers(self, role: str) -> bool:
        """Whether an account of `role` has the capability, active or not."""
        return role in self.roles

    def users(self):
        """The active accounts that have the capability (who to tell, who to offer)."""
        return User.objects.filter(is_active=True, role__in=self.roles)


# --- Everyone ------------------------------------------------------------------
may_use_site = Capability("may_use_site", C, S, B, A)

# --- Accounts and the audit trail ------------------------------------------------
may_manage_accounts = Capability("may_manage_accounts", C)
may_read_audit_log = Capability("may_read_audit_log", C)

# --- Cases -----------------------------------------------------------------------
# A support person sees exactly the cases they are assigned to now; board
# members and auditors see none (they get aggregate figures elsewhere).
may_work_cases = Capability("may_work_cases", C, S)
may_see_every_case = Capability("may_see_every_case", C)
may_be_assigned_cases = Capability("may_be_assigned_cases", S)
# Register, edit every field, assign, close, hold back, the seeker's rights: the coordinator's work.
may_manage_cases = Capability("may_manage_cases", C)
may_read_first_contact_figures = Capability("may_read_first_contact_figures", C, B, A)

# --- People, the phone and partners ----------------------------------------------
may_manage_people = Capability("may_manage_people", C)
may_keep_duty = Capability("may_keep_duty", C, S)  # the phone and the mailbox
may_manage_phone_hours = Capability("may_manage_phone_hours", C)
may_manage_partners = Capability("may_manage_partners", C)

# --- Calendar --------------------------------------------------------------------
# Coordinators see and plan every appointment; a support person plans the
# meetings and hearings of their own cases; board members and auditors see
# board meetings and nothing that concerns a seeker.
may_plan_appointments = Capability("may_plan_appointments", C, S)
may_plan_every_appointment = Capability("may_plan_every_appointment", C)
may_manage_places = Capability("may_manage_places", C)  # the register of places reminders may name
# Witness support at the courts (a statistics record per person supported): a
# support person records and sees their own, coordinators every one.
may_record_witness_support = Capability("may_record_witness_support", C, S)
may_see_all_witness_support = Capability("may_see_all_witness_support", C)

# --- Governance: minimum requirements, the board, statistics ----------------------
may_read_governance = Capability("may_read_governance", C, B, A)
may_write_assessment = Capability("may_write_assessment", C, B)
may_audit = Capability("may_audit", A)
may_govern = Capability("may_govern", B)  # the elected board: its reminders
may_run_the_jour = Capability("may_run_the_jour", C)  # the yearly cycle, reports, the co-opted seat
may_read_statistics = Capability("may_read_statistics", C, B)  # the whole report and its exports
may_see_exact_statistics = Capability("may_see_exact_statistics", C)

CAPABILITIES = {value.name: value for value in list(globals().values()) if isinstance(value, Capability)}


# --- Declaring a view's access ---------------------------------------------------
def _mark(view: Callable, access) -> Callable:
    view.jour_access = access
    return view


def public(view: Callable) -> Callable:
    return _mark(view, PUBLIC)


def password_step(view: Callable) -> Callable:
    return _mark(view, PASSWORD_STEP)


def requires(capability: Capability) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        return _mark(view, capability)

    return decorator


def access_of(view: Callable):
    """The access a view declared, or None."""
    access = getattr(view, "jour_access", None)
    if access is None and hasattr(view, "view_class"):
        access = getattr(view.view_class, "jour_access", None)
    return access


def allows(user, access) -> bool:
    return isinstance(access, Capability) and access(user)


class Granted:
    """A user's capabilities for templates: `{% if may.manage_cases %}`."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name: str) -> bool:
        capability = CAPABILITIES.get(f"may_{name}")
        if capability is None:
            raise AttributeError(name)
        return capability(self._user)


def accounts_visible_to(user):
    """Login accounts a user may list: coordinators see all, others none."""
    if may_manage_accounts(user):
        return User.objects.all()
    return User.objects.none()

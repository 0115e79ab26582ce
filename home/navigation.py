"""The site's main menu: a few groups, each showing only the pages the user may open.

Eighteen flat links wrapped onto two lines at a laptop's width; grouped, no
role has more than seven top-level entries. A group the user can open one page
of is shown as that page's own link, so a support person or a board member gets
plain links and only the coordinator's groups open a menu. The jour's name in
the header is the link to the start page.

The current page is the entry whose address is the longest prefix of the
request's path: a case's page belongs to "Cases", an appointment's to "Calendar".
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jour import access


@dataclass(frozen=True)
class Entry:
    label: Promise
    url_name: str
    capability: access.Capability
    # Other pages that belong under this entry though their address does not start with its own.
    also: tuple[str, ...] = ()
    badge: bool = False  # shows the unread notifications


@dataclass(frozen=True)
class Group:
    label: Promise
    entries: tuple[Entry, ...]


MENU = (
    Group(
        _("Cases"),
        (
            Entry(_("Cases"), "case_list", access.may_work_cases),
            Entry(_("New case"), "case_create", access.may_manage_cases),
            Entry(_("Paper to shred"), "shredding_list", access.may_work_cases),
            Entry(_("Retention"), "retention_preview", access.may_manage_cases),
        ),
    ),
    Group(_("Notifications"), (Entry(_("Notifications"), "notification_list", access.may_work_cases, badge=True),)),
    Group(
        _("Calendar"),
        (
            Entry(_("Calendar"), "calendar", access.may_use_site),
            Entry(_("Phone and e-mail"), "phone_page", access.may_keep_duty),
        ),
    ),
    Group(
        _("People"),
        (
            Entry(_("People"), "people_list", access.may_manage_people),
            Entry(_("Volunteers"), "volunteer_list", access.may_manage_people),
            Entry(_("Partners"), "partner_list", access.may_use_site, also=("routine_list",)),
        ),
    ),
    Group(
        _("Minimum requirements"),
        (
            Entry(_("Minimum requirements"), "assessment_list", access.may_read_governance),
            Entry(_("Board"), "board", access.may_read_governance),
        ),
    ),
    Group(
        _("Statistics"),
        (
            Entry(_("Statistics"), "statistics", access.may_use_site),
            Entry(_("First contact"), "kpi", access.may_read_first_contact_figures),
        ),
    ),
    Group(
        _("More"),
        (
            Entry(_("Accounts"), "account_list", access.may_manage_accounts),
            Entry(_("Audit log"), "audit_log", access.may_read_audit_log),
        ),
    ),
)


@dataclass
class Link:
    label: Promise
    url: str
    badge: bool
    prefixes: tuple[str, ...]
    current: str = ""  # the aria-current value: "page" on the page itself, "true" below it


@dataclass
class MenuItem:
    """A top-level entry: one link, or a group of links that opens."""

    label: Promise
    links: list[Link] = field(default_factory=list)
    current: str = ""

    @property
    def single(self) -> Link | None:
        return self.links[0] if len(self.links) == 1 else None


def menu_for(user, path: str) -> list[MenuItem]:
    items = []
    for group in MENU:
        links = [
            Link(entry.label, url := reverse(entry.url_name), entry.badge, (url, *map(reverse, entry.also)))
            for entry in group.entries
            if entry.capability(user)
        ]
        if links:
            items.append(MenuItem(group.label, links))
    _mark_current(items, path)
    return items


def _mark_current(items: list[MenuItem], path: str) -> None:
    matches = [
        (len(prefix), item, link)
        for item in items
        for link in item.links
        for prefix in link.prefixes
        if path.startswith(prefix)
    ]
    if not matches:
        return
    _length, item, link = max(matches, key=lambda match: match[0])
    link.current = item.current = "page" if path == link.url else "true"

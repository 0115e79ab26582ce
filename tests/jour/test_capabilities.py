"""Roles are compared in jour/access.py and nowhere else: every other module,
view and template asks a named capability (`may_manage_cases(user)`)."""

import ast
from pathlib import Path

import pytest

from jour import access
from jour.models import Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ("jour", "cases", "members", "partners", "calendars", "compliance", "stats", "home")
ALLOWED = {Path("jour/access.py")}
# A board term has a role of its own (chair, treasurer, co-opted), compared freely.
OTHER_ROLES = {"BoardRole", "VOTING_ROLES", "ROLE_ORDER", "SeekerRole"}
QUERIES = {"filter", "exclude", "get", "Q"}
TERMS = {"term", "t"}


def _names(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _reads_role(node) -> bool:
    """`x.role`, except a board term's (`term.role`, `t.role`)."""
    return any(
        isinstance(n, ast.Attribute)
        and n.attr == "role"
        and not (isinstance(n.value, ast.Name) and n.value.id in TERMS)
        for n in ast.walk(node)
    )


def role_comparisons(source: str) -> list[int]:
    """Line numbers where `source` compares a user's role or queries by one."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = set().union(*(_names(o) for o in operands))
            if "Role" in names or (any(_reads_role(o) for o in operands) and not names & OTHER_ROLES):
                found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func not in QUERIES:
                continue
            for keyword in node.keywords:
                name = keyword.arg or ""
                if (name == "role" or name.endswith("__role") or name.endswith("role__in")) and (
                    "Role" in _names(keyword.value) or _reads_role(keyword.value)
                ):
                    found.append(node.lineno)
    return found


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts and relative not in ALLOWED:
                yield relative


def test_the_checker_finds_a_role_comparison():
    source = (
        "if user.role == Role.COORDINATOR:\n    pass\n"
        "x = request.user.role in ROLES\n"
        "User.objects.filter(role=Role.AUDITOR)\n"
        "y = term.role in VOTING_ROLES\n"
    )
    assert role_comparisons(source) == [1, 3, 4]


def test_no_module_outside_access_compares_a_role():
    offenders = [f"{path}:{line}" for path in _modules() for line in role_comparisons((ROOT / path).read_text())]
    assert offenders == []


def test_templates_ask_capabilities_not_roles():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if ".role" in path.read_text() or "role ==" in path.read_text()
    ]
    assert offenders == []


@pytest.mark.parametrize("capability", list(access.CAPABILITIES.values()), ids=list(access.CAPABILITIES))
def test_every_capability_is_a_named_set_of_real_roles(capability):
    assert capability.name.startswith("may_")
    assert capability.roles and capability.roles <= set(Role)


def test_a_capability_needs_an_active_account(people):
    coordinator = people.coordinator
    assert access.may_manage_cases(coordinator)
    coordinator.is_active = False
    assert not access.may_manage_cases(coordinator)
    assert access.may_manage_cases.covers(coordinator.role)
    assert not access.may_manage_cases(None)

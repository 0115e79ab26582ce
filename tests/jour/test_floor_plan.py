"""The floor plan holds in the code (the import contract in pyproject.toml is
checked by `make test` with lint-imports): imports sit at the top of modules,
except in an AppConfig.ready(), where models and what uses them can only be
imported once the app registry is ready."""

import ast
from pathlib import Path

from tests.jour.test_capabilities import APPS, ROOT


def _function_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and node.name == "ready":
            continue
        found += [
            f"{path.relative_to(ROOT)}:{sub.lineno}"
            for sub in ast.walk(node)
            if isinstance(sub, ast.Import | ast.ImportFrom)
        ]
    return found


def test_imports_are_at_the_top_of_modules():
    modules = [p for app in APPS for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]
    assert [where for path in modules for where in _function_imports(path)] == []


def test_each_app_has_the_conventional_modules():
    """urls.py, and views.py or a views/ package; forms likewise; never people_views.py and the like."""
    for app in APPS:
        folder = ROOT / app
        assert (folder / "urls.py").exists(), app
        assert (folder / "views.py").exists() or (folder / "views").is_dir(), app
    odd = [
        str(p.relative_to(ROOT))
        for app in APPS
        for p in (ROOT / app).glob("*_*.py")
        if p.stem.endswith(("_views", "_forms"))
    ]
    assert odd == []


def test_template_lines_are_readable():
    """Markup is broken over lines (120 characters is the aim, as for Python);
    what is left longer is a single tag whose translation key cannot be split."""
    too_long = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > 160
    ]
    assert too_long == []

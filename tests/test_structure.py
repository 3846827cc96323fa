"""The apps depend on each other in one direction: agencies and people know nothing of the
briefings; briefings use them; feeds and search read the briefings; staff sign-in stands alone;
background jobs know their handlers only by name."""

import ast
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parents[1] / "apps"
# app -> apps it may import
# `images` and `addresses` are leaves every app may use: they import no app.
ALLOWED = {
    "agencies": {"addresses"},
    "people": {"images", "addresses"},
    "images": set(),
    "addresses": set(),
    "briefings": {"agencies", "people", "images", "addresses", "background"},
    "background": set(),  # runs jobs its handlers (named by path) do
    "feeds": {"briefings", "agencies", "people"},
    "search": {"briefings"},
    "staff": set(),
}


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "apps" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_each_other_in_one_direction(app):
    module = APPS / f"{app}.py"
    for path in [module] if module.exists() else (APPS / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        others = imported_apps(path) - {app}
        assert others <= ALLOWED[app], f"{path.relative_to(APPS)} imports {others - ALLOWED[app]}"

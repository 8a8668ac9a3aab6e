"""The code's shape: small modules, packages instead of suffix files, view modules that stand alone.

- No module of clinic/, intake/ or plans/ is over MAX_LINES, outside migrations, tests and the
  data tables below: a module that grows past it splits into a package.
- An app with packages keeps every models, views and forms module in them: no `views_logs.py`
  beside `views/`.
- No view module imports another view module: what two of them share lives in a selector,
  a service or a helper module, so each view module can be read (and moved) on its own.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("clinic", "intake", "plans")
MAX_LINES = 500
# Data, not code: the seeded exercise library and the default rule table.
DATA_TABLES = {"plans/library_data.py", "plans/rules_data.py"}
PACKAGED_APPS = ("intake", "plans")  # their models, views and forms are packages
SUFFIXES = ("models_", "views_", "forms_")


def modules(*, tests: bool = False) -> list[Path]:
    """The apps' Python modules, relative to the repository root."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or "__pycache__" in relative.parts:
                continue
            if ("tests" in relative.parts) != tests:
                continue
            found.append(relative)
    return found


def module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, name: str, *, is_package: bool = False) -> set[str]:
    """Every module an import statement of `source` (module `name`) may load, absolute."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # `from package import module` loads that module too (a name from it does not)
            found |= {f"{target}.{a.name}" for a in node.names if _exists(f"{target}.{a.name}")}
    return found


def _exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _is_package(name: str) -> bool:
    return (ROOT.joinpath(*name.split(".")) / "__init__.py").is_file()


def is_view_module(name: str) -> bool:
    """A project module that holds views: in a `views` package or a `views*.py` file."""
    parts = name.split(".")
    if parts[0] not in APPS:
        return False
    return any(part == "views" or part.startswith("views_") for part in parts[1:])


def view_imports_of(source: str, name: str, *, is_package: bool = False) -> list[str]:
    """The other view modules `source` imports; a views package itself (its empty
    `__init__`, as in `from plans.views import logs`) is not one, the module it loads is."""
    return sorted(
        target
        for target in imported_modules(source, name, is_package=is_package)
        if is_view_module(target) and target != name and not _is_package(target)
    )


def test_no_module_is_over_the_line_limit():
    long = {
        relative.as_posix(): lines
        for relative in modules()
        if relative.as_posix() not in DATA_TABLES
        and (lines := len((ROOT / relative).read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"over {MAX_LINES} lines, split into a package: {long}"


def test_the_data_tables_exempted_from_the_limit_exist():
    assert all((ROOT / table).is_file() for table in DATA_TABLES)


@pytest.mark.parametrize("app", PACKAGED_APPS)
def test_models_views_and_forms_live_in_packages_not_suffix_files(app):
    flat = sorted(
        path.name
        for path in (ROOT / app).glob("*.py")
        if path.stem in ("models", "views", "forms") or path.name.startswith(SUFFIXES)
    )
    assert not flat, f"{app}/: move {flat} into {app}/models/, {app}/views/ or {app}/forms/"
    for package in ("models", "views", "forms"):
        assert (ROOT / app / package / "__init__.py").is_file(), f"{app}/{package}/ missing"


@pytest.mark.parametrize("app", APPS)
def test_no_app_keeps_suffix_files(app):
    flat = sorted(path.name for path in (ROOT / app).glob("*.py") if path.name.startswith(SUFFIXES))
    assert not flat, f"{app}/: move {flat} into a package ({app}/views/, ...)"


def test_no_view_module_imports_another_view_module():
    found = {}
    for relative in modules():
        name = module_name(relative)
        if not is_view_module(name):
            continue
        source = (ROOT / relative).read_text()
        imports = view_imports_of(source, name, is_package=relative.name == "__init__.py")
        if imports:
            found[relative.as_posix()] = imports
    assert not found, f"view modules importing view modules (move what they share): {found}"


def test_view_imports_are_found_in_every_spelling():
    """The check above is not vacuous: each way of importing a sibling view module is caught."""
    spellings = [
        "from .patient import open_link",
        "from . import patient",
        "from plans.views.patient import open_link",
        "from plans.views import patient",
        "import plans.views.patient",
        "from intake.views.self_intake import link_unavailable",
        "from clinic.views.audit import audit_export",
    ]
    for source in spellings:
        assert view_imports_of(source, "plans.views.logs"), source
    allowed = [
        "from django.views.decorators.http import require_POST",
        "from clinic.links.birth_date import open_link",
        "from plans.services import logs",
        "from intake.views import STEP",  # names the package only: nothing loaded from it
    ]
    for source in allowed:
        assert not view_imports_of(source, "plans.views.logs"), source

"""Views bind a form, call one service or selector and render; they never write.

An AST scan of every view module: a call to ``.save()``, ``.create()``, ``.update()``,
``.delete()``, ``.bulk_create()``, ``get_or_create()``/``update_or_create()``, a mail
(``send_mail``, ``EmailMessage``), or an ``audit(...)`` of a change is a write. Auditing a read
(who viewed, downloaded or exported what, a refusal) may stay in a view.

``REVIEWED`` lists the writes still in views, each a known debt with the service it should
move to; it may only shrink: a new write fails, and so does an entry that no longer exists.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITE_METHODS = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
MAIL_CALLS = {"send_mail", "send_mass_mail", "EmailMessage", "EmailMultiAlternatives"}
READ_ACTIONS = {"VIEWED", "DOWNLOADED", "EXPORTED", "DENIED"}
# Not the database: the session, messages and a template context are plain state.
NOT_THE_DATABASE = {"session", "messages", "context"}

# (module, function, what) -> why it is still here and where it goes.
REVIEWED: dict[tuple[str, str, str], str] = {
    ("clinic/views.py", "dispatch", "audit(LOGIN_FAILED)"): (
        "a refused login is recorded where Django's login view runs; no record changes"
    ),
    ("clinic/views.py", "post", "audit(LOGIN_FAILED)"): ("the login throttle's refusal, as above"),
    ("plans/views/documents.py", "_download", "audit(?)"): (
        "a read: the action is DOWNLOADED or EXPORTED, passed in by the two download views"
    ),
}


def view_modules() -> list[Path]:
    paths = [ROOT / "clinic" / "views.py", ROOT / "clinic" / "views_audit.py"]
    for app in ("intake", "plans"):
        paths += sorted((ROOT / app / "views").glob("*.py"))
    return [p for p in paths if p.name != "__init__.py"]


def _receiver_names(node: ast.AST) -> set[str]:
    names = set()
    while isinstance(node, ast.Attribute):
        names.add(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.add(node.id)
    return names


def _audit_action(call: ast.Call) -> str | None:
    """The AuditAction member an audit(...) call records, or None when it is not literal."""
    candidates = list(call.args[1:2]) + [k.value for k in call.keywords if k.arg == "action"]
    for arg in candidates:
        literal = isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name)
        if literal and arg.value.id == "AuditAction":
            return arg.attr
    return None


def writes_in(source: str) -> list[tuple[str, str]]:
    """(function, what) for every write in a module's source."""
    found = []
    tree = ast.parse(source)
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            writes = isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS
            if writes and not (_receiver_names(func.value) & NOT_THE_DATABASE):
                found.append((function.name, f".{func.attr}()"))
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in MAIL_CALLS:
                found.append((function.name, f"{name}()"))
            if name == "audit":
                action = _audit_action(node)
                if action not in READ_ACTIONS:
                    found.append((function.name, f"audit({action or '?'})"))
    return sorted(set(found))


def test_the_scan_sees_each_kind_of_write():
    source = """
def view(request):
    form.save()
    Patient.objects.create(x=1)
    Plan.objects.filter(pk=1).update(x=2)
    send_mail("s", "b", None, ["a@b"])
    audit(request, AuditAction.CHANGED, obj=x)
    audit(request, AuditAction.VIEWED, obj=x)
    request.session.update({"a": 1})
"""
    assert writes_in(source) == [
        ("view", ".create()"),
        ("view", ".save()"),
        ("view", ".update()"),
        ("view", "audit(CHANGED)"),
        ("view", "send_mail()"),
    ]


def test_the_scan_reads_every_view_module():
    assert len(view_modules()) >= 15


def test_views_never_write():
    found = {
        (str(path.relative_to(ROOT)), function, what)
        for path in view_modules()
        for function, what in writes_in(path.read_text(encoding="utf-8"))
    }
    new = sorted(found - REVIEWED.keys())
    gone = sorted(REVIEWED.keys() - found)
    assert not new, "Writes in views (move them into a service):\n" + "\n".join(map(str, new))
    assert not gone, "Moved out already: take them off REVIEWED:\n" + "\n".join(map(str, gone))

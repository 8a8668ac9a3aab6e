"""Views bind a form, call one service or selector and render; they never write.

An AST scan of every view module: a call to ``.save()``, ``.create()``, ``.update()``,
``.delete()``, ``.bulk_create()``, ``get_or_create()``/``update_or_create()``, a mail
(``send_mail``, ``EmailMessage``), or an ``audit(...)`` of a change is a write. Auditing a read
(who viewed, downloaded or exported what, a refusal) may stay in a view.

``REVIEWED`` lists writes a view may keep, each with its reason; it starts empty and a new
entry needs a review: a new write fails, and so does an entry that no longer exists.
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
# Records of who saw what, of sign-ins and of refusals (a denied page, a failed login): none
# changes a record.
NOT_A_CHANGE = {"VIEWED", "DOWNLOADED", "EXPORTED", "DENIED", "LOGIN", "LOGIN_FAILED"}
# Not the database: the session, messages and a template context are plain state.
NOT_THE_DATABASE = {"session", "messages", "context"}

# (module, function, what) -> why it is still here and where it goes.
REVIEWED: dict[tuple[str, str, str], str] = {}


def view_modules() -> list[Path]:
    paths = []
    for app in ("clinic", "intake", "plans"):
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


def _literal_actions(node: ast.expr) -> set[str] | None:
    """The AuditAction members an expression can be: ``AuditAction.X``, or either branch of
    ``AuditAction.X if ... else AuditAction.Y``; None when it is anything else."""
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_actions(node.body), _literal_actions(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    literal = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    return {node.attr} if literal and node.value.id == "AuditAction" else None


def _audit_action(call: ast.Call) -> str | None:
    """What an audit(...) call records when none of it is a change, else the change (or
    "?" when the action is not written out, so the scan cannot tell)."""
    candidates = list(call.args[1:2]) + [k.value for k in call.keywords if k.arg == "action"]
    actions = _literal_actions(candidates[0]) if candidates else None
    if actions is None:
        return "?"
    changes = sorted(actions - NOT_A_CHANGE)
    return changes[0] if changes else None


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
                change = _audit_action(node)
                if change:
                    found.append((function.name, f"audit({change})"))
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
    audit(request, AuditAction.EXPORTED if x else AuditAction.DOWNLOADED, obj=x)
    audit(request, AuditAction.VIEWED if x else AuditAction.REVOKED, obj=x)
    audit(request, action, obj=x)
    request.session.update({"a": 1})
"""
    assert writes_in(source) == [
        ("view", ".create()"),
        ("view", ".save()"),
        ("view", ".update()"),
        ("view", "audit(?)"),
        ("view", "audit(CHANGED)"),
        ("view", "audit(REVOKED)"),
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

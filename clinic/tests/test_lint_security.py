"""Security lint: no unescaped output and no SQL built from strings.

Templates may not use ``|safe`` or ``{% autoescape off %}``; Python may not call
``mark_safe``/``SafeString``, pass an f-string to ``format_html``, or hand ``.raw()``,
``.extra()``, ``RawSQL()`` or ``.execute()`` SQL built with an f-string, ``%``, ``+``,
``.format()`` or ``.join()``. Each reviewed exception is allowed by file and snippet below,
with its reason, so a new use anywhere fails until someone reviews it.
"""

import ast
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "var", ".git", "__pycache__", ".ruff_cache", ".pytest_cache"}
SKIP_PATHS = {Path("static/vendor"), Path("bench/work")}  # bench/work: runs' output, a worktree

NOTES_FROZEN = "intake/migrations/0031_notes_are_frozen_and_their_permissions.py"
# (file, a snippet of the offending line or call) -> why it is safe.
ALLOWED = {
    ("plans/templatetags/plan_tags.py", "mark_safe(svg)"): (
        "the `drawing` filter inlines SVG our own code made (plans/illustrations/ escapes "
        "its catalogue text, intake/charts.py XML-escapes every label, segno the QR code) "
        "and refuses anything with script, event handlers, links or foreignObject"
    ),
    ("intake/progress.py", "mark_safe(chart)"): (
        "intake.charts.line_chart XML-escapes every text it writes (title, labels, "
        "description); the rest is numbers and constants"
    ),
    ("plans/between_visits.py", "mark_safe(chart)"): (
        "plans.pain_chart draws with intake.charts' helpers, which XML-escape every text "
        "(title, labels, description); the rest is numbers and constants"
    ),
    ("templates/intake/mail/discovery_call.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain): escaping would show &lt; to the reader"
    ),
    ("templates/intake/mail/visit.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain) to the patient: the time, the visit type, no notes"
    ),
    ("templates/intake/mail/visit_series.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain) to the patient: times and visit types, no notes"
    ),
    ("templates/intake/mail/intake_link.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain)"
    ),
    ("templates/intake/mail/redflag_notice.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain) to staff: flag labels and a chart link, no names"
    ),
    ("templates/intake/mail/outcome_link.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain)"
    ),
    ("templates/plans/mail/plan_link.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain)"
    ),
    ("templates/plans/mail/record_copy_link.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain)"
    ),
    ("templates/plans/mail/log_reminder.txt", "{% autoescape off %}"): (
        "plain-text mail body (text/plain): the clinic's name, a number and a URL, no user text"
    ),
    ("templates/registration/password_reset_email.html", "{% autoescape off %}"): (
        "Django's plain-text password-reset body (no html_email_template_name is set)"
    ),
    ("templates/registration/password_reset_subject.txt", "{% autoescape off %}"): (
        "a mail subject line, plain text"
    ),
    ("intake/migrations/0006_signed_evaluations_are_frozen.py", "CREATE TRIGGER {table}"): (
        "table names from the migration's own constant list PARTS; identifiers cannot be "
        "query parameters"
    ),
    ("intake/migrations/0006_signed_evaluations_are_frozen.py", "DROP TRIGGER IF EXISTS"): (
        "table names from PARTS and a literal, as above"
    ),
    (NOTES_FROZEN, "CREATE TRIGGER {table}"): (
        "table names from the migration's own constant list PARTS, as in 0006"
    ),
    (NOTES_FROZEN, "DROP TRIGGER IF EXISTS"): ("table names from PARTS and a literal, as in 0006"),
    ("bench/run.py", "DROP DATABASE"): (
        "benchmark tool: the database name comes from the operator's --database-url, must "
        "contain 'bench', and is a quoted identifier (not a parameter)"
    ),
    ("bench/run.py", "CREATE DATABASE"): "benchmark tool: the same operator-given name",
}

TEMPLATE_RULES = (
    ("|safe", re.compile(r"\|\s*safe(?:seq)?\b")),
    ("{% autoescape off %}", re.compile(r"{%-?\s*autoescape\s+off\s*-?%}")),
    ("{% filter safe %}", re.compile(r"{%-?\s*filter\s[^%]*\bsafe\b")),
)
MARK_SAFE = {"mark_safe", "SafeString", "SafeText"}
SQL_CALLS = {"raw": "raw_query", "execute": "sql", "executemany": "sql", "RawSQL": "sql"}
FORMAT_HTML = {"format_html", "format_html_join"}


def project_files(suffixes: tuple[str, ...]):
    for folder, dirs, files in os.walk(ROOT):
        here = Path(folder).relative_to(ROOT)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and here / d not in SKIP_PATHS)
        yield from (here / name for name in sorted(files) if name.endswith(suffixes))


def template_findings() -> list[tuple[str, str, str]]:
    findings = []
    for relative in project_files((".html", ".txt", ".xml", ".svg")):
        if "templates" not in relative.parts:
            continue
        for line in (ROOT / relative).read_text().splitlines():
            for rule, pattern in TEMPLATE_RULES:
                if pattern.search(line):
                    findings.append((relative.as_posix(), rule, line.strip()))
    return findings


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


class _Scopes(ast.NodeVisitor):
    """What each name is assigned (or iterates over) in its function and at module level."""

    def __init__(self, tree: ast.Module):
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.tree = tree

    def scope_of(self, node: ast.AST) -> ast.AST:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return node
        return self.tree

    def values_of(self, name: str, scope: ast.AST) -> list[ast.expr]:
        values = []
        for scope_node in (scope, self.tree):
            for node in ast.walk(scope_node):
                targets, value = [], None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
                    targets, value = [node.target], node.value
                    if isinstance(node, ast.AugAssign):
                        values.append(ast.BinOp(left=node.target, op=node.op, right=value))
                        continue
                elif isinstance(node, ast.For | ast.comprehension):
                    targets, value = [node.target], node.iter
                if any(name in _target_names(t) for t in targets):
                    values.append(value)
        return values


def _target_names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _built(node: ast.expr | None, scopes: _Scopes, depth: int = 0) -> bool:
    """Is this SQL (or its source) built at run time from strings?"""
    if node is None or depth > 5:
        return False
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    if isinstance(node, ast.Call) and _name(node.func) in ("format", "join"):
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_built(e, scopes, depth + 1) for e in node.elts)
    if isinstance(node, ast.Dict):
        return any(_built(v, scopes, depth + 1) for v in node.values)
    if isinstance(node, ast.Name):
        values = scopes.values_of(node.id, scopes.scope_of(node))
        return any(_built(v, scopes, depth + 1) for v in values)
    return False


def _sql_argument(call: ast.Call, keyword: str) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def python_findings() -> list[tuple[str, str, str]]:
    findings = []
    for relative in project_files((".py",)):
        source = (ROOT / relative).read_text()
        tree = ast.parse(source, filename=str(relative))
        scopes = _Scopes(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _name(call.func)
            if name in MARK_SAFE:
                rule = f"{name}("
            elif name in FORMAT_HTML and _built(_sql_argument(call, "format_string"), scopes):
                rule = f"{name}( with a pre-built string"
            elif name in SQL_CALLS and _built(_sql_argument(call, SQL_CALLS[name]), scopes):
                rule = f"{name}( with SQL built from strings"
            elif name == "extra" and isinstance(call.func, ast.Attribute):
                parts = [*call.args, *(k.value for k in call.keywords)]
                if not any(_built(p, scopes) for p in parts):
                    continue
                rule = "extra( with SQL built from strings"
            else:
                continue
            segment = ast.get_source_segment(source, call) or ""
            findings.append((relative.as_posix(), rule, " ".join(segment.split())))
    return findings


def _unreviewed(findings) -> list[str]:
    return [
        f"{path}: {rule}: {text[:160]}"
        for path, rule, text in findings
        if not any(path == file and snippet in text for file, snippet in ALLOWED)
    ]


def test_templates_never_turn_off_escaping_except_reviewed_plain_text():
    problems = _unreviewed(template_findings())
    assert not problems, "Unescaped template output (review, then allow-list):\n" + "\n".join(
        problems
    )


def test_python_never_marks_text_safe_or_builds_sql_from_strings_except_reviewed():
    problems = _unreviewed(python_findings())
    assert not problems, "Unreviewed unsafe HTML or SQL (review, then allow-list):\n" + "\n".join(
        problems
    )


def test_every_allow_list_entry_still_matches_something():
    findings = template_findings() + python_findings()
    stale = [
        key
        for key in ALLOWED
        if not any(path == key[0] and key[1] in text for path, _rule, text in findings)
    ]
    assert not stale, f"Allow-list entries that match nothing any more: {stale}"


def test_the_lint_catches_what_it_is_for(tmp_path, monkeypatch):
    """A planted use of each pattern is reported (so the checks above are not vacuous)."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text(
        "{{ a|safe }}\n{% autoescape off %}{{ b }}{% endautoescape %}\n{{ c|escape }}\n"
    )
    (tmp_path / "bad.py").write_text(
        "from django.utils.safestring import mark_safe\n"
        "def f(cursor, qs, name, q):\n"
        "    mark_safe(name)\n"
        "    cursor.execute(f'SELECT {name}')\n"
        "    cursor.execute('SELECT %s' % name)\n"
        "    sql = 'SELECT ' + name\n"
        "    cursor.execute(sql)\n"
        "    qs.raw('SELECT {}'.format(name))\n"
        "    qs.extra(where=[f'id = {q}'])\n"
        "    cursor.execute('SELECT %s', [name])\n"
        "    for s in ('SELECT 1', 'SELECT 2'):\n"
        "        cursor.execute(s)\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    rules = [rule for _path, rule, _text in template_findings() + python_findings()]
    assert rules.count("|safe") == 1 and rules.count("{% autoescape off %}") == 1
    assert rules.count("mark_safe(") == 1
    assert rules.count("execute( with SQL built from strings") == 3
    assert "raw( with SQL built from strings" in rules
    assert "extra( with SQL built from strings" in rules
    assert len(rules) == 8

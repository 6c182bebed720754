#!/usr/bin/env python3
"""Organisation scoping lint: a view never queries a sensitive model's manager directly.

Every organisation page starts its queries from the organisation (``Thing.objects.for_org(
request.org)``) and every personal page from the person (``...for_owner(request.user)``),
or goes through an access helper (``organisations/access.py``, ``records/access.py``, an app's
``access.py`` or ``services``), so an id from elsewhere is a 404 (docs/development.md,
"One access layer"). This script fails when a view module does otherwise:

- ``Model.objects.<method>(...)`` where ``<method>`` is not an organisation- or
  owner-scoped queryset method (``SCOPED``) and is not filtered on the organisation, the
  owner or a parent already looked up (``SCOPE_KEYS``), for a model defined in a staffwell
  app;
- ``get_object_or_404(Model, ...)`` / ``get_list_or_404(Model, ...)`` with the bare model
  and no scope key.

``pk=thing.pk`` counts as scoped: it is the id of an object the view already holds.

Reviewed exceptions, each with its reason, are in ``scripts/scoping_exceptions.txt`` as
``path  Model.method  # reason``. Run: ``python scripts/check_scoping.py`` (``make lint``).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = Path(__file__).resolve().parent / "scoping_exceptions.txt"

# Queryset methods that scope to one organisation or one person (or that read shipped,
# public content for one organisation): a chain that starts with one of these is scoped.
SCOPED = {
    "for_org",
    "for_owner",
    "for_user",
    "owned_by",
    "mine",
    "available_to",
    "for_object",
    "visible_to",
    "shared_with",
    "granted_to",
    "in_subtree",
    "managing_unit",
}
# Models any signed-in person may read: shared content and shipped reference data.
PUBLIC_MODELS = {
    "Resource",
    "Topic",
    "CaseStudy",
    "Podcast",
    "Episode",
    "UrgentSupport",
    "SearchTerm",
    "Synonym",
    "Audience",
    "UrgentContact",
    "LinkCheck",
}
LOOKUP_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
# A first call filtered (or created) on one of these is scoped: the organisation, the person,
# or a parent object the view has already looked up through a scoped queryset.
SCOPE_KEYS = {
    "organisation",
    "owner",
    "cycle",
    "campaign",
    "instrument",
    "passport",
    "programme",
    "post",
    "action",
    "support_request",
    "membership",
    "user",
    "viewer",
    "request",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    model: str
    method: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, f"{self.model}.{self.method}")

    def __str__(self) -> str:
        how = f"{self.model}.objects.{self.method}(...)" if self.method != "lookup" else f"a bare {self.model}"
        return (
            f"{self.path}:{self.line}: {how} in a view. Start from the organisation or the person "
            f"({self.model}.objects.for_org(request.org)...) or use an access helper; or add a reviewed "
            f"exception to scripts/scoping_exceptions.txt."
        )


def model_names(root: Path) -> set[str]:
    """Every model class defined in a staffwell app's models module."""
    names: set[str] = set()
    for path in list(root.glob("staffwell/*/models.py")) + list(root.glob("staffwell/*/models/*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(_base_is_model(b) for b in node.bases):
                names.add(node.name)
    return names


def _base_is_model(base: ast.expr) -> bool:
    text = ast.unparse(base)
    return text.endswith("Model") or text.endswith("models.Model")


def view_modules(root: Path) -> list[Path]:
    found = set(root.glob("staffwell/*/views.py")) | set(root.glob("staffwell/*/views/*.py"))
    found |= set(root.glob("staffwell/*/views_*.py"))
    return sorted(found)


def check_source(source: str, path: str, sensitive: set[str]) -> list[Finding]:
    tree = ast.parse(source, filename=path)
    imported: dict[str, str] = {}  # local name -> model name, for names imported from a models module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] == "models":
            for alias in node.names:
                if alias.name in sensitive:
                    imported[alias.asname or alias.name] = alias.name
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    findings = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
        ):
            parent = parents.get(node)
            method = parent.attr if isinstance(parent, ast.Attribute) else "(manager)"
            if not _chain_is_scoped(node, parents):
                findings.append(Finding(path, node.lineno, imported[node.value.id], method))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUP_SHORTCUTS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name) and first.id in imported and not _scoping_keywords(node):
                findings.append(Finding(path, node.lineno, imported[first.id], "lookup"))
    return sorted(findings, key=lambda f: (f.line, f.model, f.method))


def _is_looked_up_pk(keyword: ast.keyword) -> bool:
    """``pk=thing.pk``: the id of an object the view already holds, not one from the request."""
    value = keyword.value
    return (
        keyword.arg in {"pk", "id"}
        and isinstance(value, ast.Attribute)
        and value.attr in {"pk", "id"}
        and isinstance(value.value, ast.Name)
    )


def _scoping_keywords(call: ast.Call) -> bool:
    return any(
        (k.arg and k.arg.split("__")[0].removesuffix("_id") in SCOPE_KEYS) or _is_looked_up_pk(k) for k in call.keywords
    )


def _chain_is_scoped(manager: ast.Attribute, parents: dict) -> bool:
    """Follow ``Model.objects.a(...).b(...)...``: scoped if any step is a scoped method or is
    filtered on a scope key, or if the whole chain is passed to a call (``get_object_or_404``,
    an access helper) that is."""
    node: ast.AST = manager
    while True:
        attr = parents.get(node)
        if not isinstance(attr, ast.Attribute):
            break
        call = parents.get(attr)
        if not (isinstance(call, ast.Call) and call.func is attr):
            node = attr
            continue
        if attr.attr in SCOPED or _scoping_keywords(call):
            return True
        node = call
    outer = parents.get(node)
    if isinstance(outer, ast.keyword):
        outer = parents.get(outer)
    return isinstance(outer, ast.Call) and _scoping_keywords(outer)


def read_exceptions(path: Path) -> dict[tuple[str, str], str]:
    allowed: dict[tuple[str, str], str] = {}
    if not path.exists():
        return allowed
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        entry, _, reason = line.partition("#")
        parts = entry.split()
        if len(parts) != 2 or not reason.strip():
            raise SystemExit(f"{path.name}:{number}: write 'path  Model.method  # reason' (the reason is required)")
        allowed[(parts[0], parts[1])] = reason.strip()
    return allowed


def main(root: Path = ROOT, exceptions: Path = EXCEPTIONS) -> int:
    sensitive = model_names(root) - PUBLIC_MODELS
    allowed = read_exceptions(exceptions)
    used: set[tuple[str, str]] = set()
    problems = []
    for module in view_modules(root):
        rel = module.relative_to(root).as_posix()
        for finding in check_source(module.read_text(), rel, sensitive):
            if finding.key in allowed:
                used.add(finding.key)
            else:
                problems.append(finding)
    stale = sorted(set(allowed) - used)
    for problem in problems:
        print(problem)
    for path, what in stale:
        print(f"scripts/scoping_exceptions.txt: '{path}  {what}' no longer occurs: remove it.")
    if problems or stale:
        return 1
    print(f"Scoping: {len(view_modules(root))} view modules checked, {len(used)} reviewed exceptions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

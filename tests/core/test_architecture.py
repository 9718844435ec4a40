"""The layout rules of docs/architecture.md, read from the code's own imports (imports inside functions too)."""

from __future__ import annotations

import ast
import textwrap
from collections import defaultdict
from pathlib import Path

import soegov

ROOT = Path(soegov.__file__).parent
ENGINE = ("soegov.policy", "soegov.calendar", "soegov.ledger")
# Small rooms: a module a reader takes in whole, a function seen on one screen (docs/architecture.md).
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def _modules() -> dict[str, Path]:
    out = {}
    for f in ROOT.rglob("*.py"):
        if "migrations" in f.parts:
            continue
        parts = ("soegov", *f.relative_to(ROOT).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


MODULES = _modules()


def _owner(name: str) -> str:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(module: str) -> list[tuple[str, str, int]]:
    """(imported module, imported name or "", line) of every import in a module, wherever it is placed."""
    out = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, "", node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out += [(node.module, a.name, node.lineno) for a in node.names]
    return out


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for m in MODULES:
        for target, name, _ in _imports(m):
            if not target.startswith("soegov"):
                continue
            full = f"{target}.{name}" if name else target
            dest = _owner(full if full in MODULES else target)
            if dest and dest != m:
                edges[m].add(dest)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in MODULES:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on_stack.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_the_walk_sees_the_project() -> None:
    edges = _graph()
    assert len(MODULES) > 200
    assert "soegov.core.errors" in edges["soegov.matters.lifecycle"]


def test_no_module_imports_itself_back_through_others() -> None:
    assert _cycles(_graph()) == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    edges = _graph()
    edges["soegov.core.errors"] = edges["soegov.core.errors"] | {"soegov.matters.lifecycle"}
    assert any("soegov.core.errors" in c and "soegov.matters.lifecycle" in c for c in _cycles(edges))


def test_no_private_name_is_imported_from_another_module() -> None:
    crossing = [f"{m}:{line} imports {name} from {target}" for m in MODULES for target, name, line in _imports(m)
                if target.startswith("soegov") and name.startswith("_") and not name.startswith("__")]
    assert crossing == []


def test_the_engine_imports_no_django() -> None:
    offending = [f"{m}:{line} imports {target}" for m in MODULES if m.startswith(ENGINE)
                 for target, _, line in _imports(m) if target == "django" or target.startswith("django.")]
    assert offending == []


def test_only_the_command_line_imports_the_demo() -> None:
    # Demo data (and its published password) must never be loaded by a page or a service: only `soegov demo`
    # and the start-up check of `soegov serve`, which refuses a database holding demo accounts, read it.
    offending = [f"{m}:{line} imports {target}" for m in MODULES if not m.startswith("soegov.demo")
                 and not m.endswith(".cli") for target, _, line in _imports(m)
                 if target == "soegov.demo" or target.startswith("soegov.demo.")]
    assert offending == []


def _too_long(modules: dict[str, Path]) -> list[str]:
    """Modules over MAX_MODULE_LINES lines, and functions over MAX_FUNCTION_LINES (from `def` to their last line)."""
    found = []
    for name, path in modules.items():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{name}.{node.name}: {length} lines")
    return found


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    assert _too_long(MODULES) == []


def test_a_long_module_and_a_long_function_are_found(tmp_path: Path) -> None:
    def function(lines: int) -> str:
        return "def f() -> None:\n" + "".join(f"    x{i} = {i}\n" for i in range(lines - 1))

    (tmp_path / "long_function.py").write_text("class A:\n" + textwrap.indent(function(61), "    "))
    (tmp_path / "fits.py").write_text(function(60) + "".join(f"y{i} = {i}\n" for i in range(340)))
    (tmp_path / "long_module.py").write_text("".join(f"y{i} = {i}\n" for i in range(401)))
    found = _too_long({n: tmp_path / f"{n}.py" for n in ("long_function", "fits", "long_module")})
    assert found == ["long_function.f: 61 lines", "long_module: 401 lines"]

"""The layers point one way: ingest <- index <- app, and evals beside app (it uses ingest and
index, and receives the answerer and the drafter as arguments). Every import in every module is
read, function-local ones included, relative ones resolved."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# package (or module prefix) -> the top-level packages and app modules it must never import
FORBIDDEN = {
    "ingest": ("index", "app", "evals"),
    "index": ("app", "evals"),
    "evals": ("app",),
    "app.answer": ("evals", "app.draft", "app.cli", "app.ui", "app.views", "app.render"),
    "app.draft": ("evals", "app.cli", "app.ui", "app.views", "app.render"),
}
# where the question-interpretation code lives: none of it in index/
ANSWERING_MODULES = (
    "answerer",
    "abstention",
    "compose",
    "extract",
    "facts",
    "figures",
    "figure_terms",
    "filters",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """The absolute names of every module `source` imports, relative imports resolved against `module`."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            name = ".".join([*base, node.module] if node.module else base)
            found.add(name)
            found |= {f"{name}.{alias.name}" for alias in node.names}  # "from . import views"
    return found


def violations(module: str, imported: set[str]) -> list[str]:
    wrong = []
    for layer, forbidden in FORBIDDEN.items():
        if module == layer or module.startswith(layer + "."):
            wrong += [
                f"{module} imports {name}"
                for name in imported
                for f in forbidden
                if name == f or name.startswith(f + ".")
            ]
    return sorted(set(wrong))


def test_the_checker_resolves_relative_and_local_imports() -> None:
    source = (
        "from .figures import Figure\nfrom . import extract\ndef f():\n    from evals.harness import run\n"
    )
    imported = imported_modules(source, "app.answer.answerer")
    assert {"app.answer.figures", "app.answer.extract", "evals.harness"} <= imported
    assert "app.answer.answerer imports evals.harness" in violations("app.answer.answerer", imported)
    assert violations("index.library", {"app.answer.figures"}) == ["index.library imports app.answer.figures"]
    assert violations("app.ui", {"evals.harness"}) == []  # the edge wires evals in


@pytest.mark.parametrize("package", ["ingest", "index", "app", "evals"])
def test_no_lower_layer_imports_a_higher_one(package: str) -> None:
    wrong = []
    for path in sorted((REPO / package).rglob("*.py")):
        module = module_name(path)
        wrong += violations(
            module, imported_modules(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        )
    assert wrong == []


def test_the_answering_core_lives_in_app_answer() -> None:
    core = REPO / "app" / "answer"
    assert all((core / f"{name}.py").is_file() for name in ANSWERING_MODULES)
    assert not any((REPO / "index" / f"{name}.py").exists() for name in ANSWERING_MODULES)

"""The layers of the package, read from the source with ``ast``: imports point down only.

model → fileformat → render / analytics → export → cli / web / store / voice. The model
imports nothing outside ``parcours.model`` (nor any third-party I/O library).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "parcours"

#: Rank of each top-level part of the package: a module may import its own rank or lower.
RANKS = {
    "model": 0,
    "errors": 0,  # the names users import errors by; defined in the model
    "limits": 1,
    "security": 1,
    "sandbox": 1,
    "atomic": 1,
    "fileformat": 1,
    "files": 1,
    "catalog": 1,
    "words": 1,
    "escape": 1,
    "render": 2,
    "analytics": 2,
    "voice": 2,
    "export": 3,
    "store": 4,
    "cli": 5,
    "web": 5,
}
#: The front door installs the exporter and names everything lazily; ``__main__`` runs the CLI.
EXEMPT = {"__init__", "__main__"}
#: Third-party libraries the model may use (data validation and nothing that does I/O).
MODEL_MAY_USE = {"pydantic", "pydantic_core", "typing_extensions"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, text: str | None = None) -> list[tuple[int, str]]:
    """Every module ``path`` imports (at the top, in functions, for type checking)."""
    source = path.read_text(encoding="utf-8") if text is None else text
    tree = ast.parse(source, str(path))
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names if base == "parcours"]
    return found


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "parcours" and len(parts) > 1 else None


def test_every_part_of_the_package_has_a_rank() -> None:
    parts = {p.stem if p.parent == PACKAGE else p.relative_to(PACKAGE).parts[0] for p in _modules()}
    assert parts - EXEMPT <= set(RANKS), sorted(parts - EXEMPT - set(RANKS))


def test_the_model_imports_nothing_outside_itself() -> None:
    wrong = []
    for path in (PACKAGE / "model").rglob("*.py"):
        for line, module in _imports(path):
            top = module.split(".")[0]
            inside = module == "parcours.model" or module.startswith("parcours.model.")
            third_party = top not in {"parcours", "__future__"} and not _is_stdlib(top)
            if (top == "parcours" and not inside) or (third_party and top not in MODEL_MAY_USE):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {module}")
    assert not wrong, "\n".join(wrong)


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for path in _modules():
        own = _part(_name(path)) if path.parent != PACKAGE else path.stem
        if own in EXEMPT or own is None:
            continue
        for line, module in _imports(path):
            other = _part(module)
            if other is None or other in EXEMPT or other not in RANKS:
                continue
            if RANKS[other] > RANKS[own]:
                wrong.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line}: {own} (rank {RANKS[own]}) "
                    f"imports {module} (rank {RANKS[other]})"
                )
    assert not wrong, "\n".join(wrong)


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import parcours.render.svg\n", ["parcours.render.svg"]),
        ("def f():\n    from parcours.files import dumps\n", ["parcours.files"]),
        ("from . import journey\n", ["parcours.model"]),
        ("from ..render import svg\n", ["parcours.render"]),
    ],
)
def test_the_reader_sees_imports_in_functions_and_relative_ones(
    source: str, expected: list[str]
) -> None:
    found = [module for _, module in _imports(PACKAGE / "model" / "probe.py", source)]
    assert found == expected

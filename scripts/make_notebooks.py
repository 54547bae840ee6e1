"""Generate the notebooks in notebooks/ from their sources, reproducibly.

    python scripts/make_notebooks.py          # (re)write notebooks/*.ipynb
    python scripts/make_notebooks.py --check  # exit 1 if a stored notebook differs

The sources are the jupytext percent-format scripts ``notebooks/*.py`` (``# %%`` starts a
code cell, ``# %% [markdown]`` a text cell): edit those, linted by ruff like the package,
then run this. The ``.ipynb`` beside them are stored without outputs, with stable cell ids,
for opening in Jupyter. tests/test_notebooks.py checks they are in sync and runs each one
top to bottom in a clean kernel.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def render(source: Path) -> str:
    """The ``.ipynb`` text of one percent-format source."""
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = nbformat.from_dict(METADATA)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids: regenerating gives identical files
        cell["metadata"] = {}
        if cell.cell_type == "code":
            cell["outputs"], cell["execution_count"] = [], None
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="compare instead of writing")
    args = p.parse_args(argv)
    stale = []
    for source in sorted(NOTEBOOKS.glob("*.py")):
        text = render(source)
        path = source.with_suffix(".ipynb")
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
            continue
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))
    if stale:
        print(f"stale notebooks (run scripts/make_notebooks.py): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

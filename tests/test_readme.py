"""The README's library example runs as written, and its two set-up commands stay first."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert blocks[0].strip() == (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/maplayout build"
    )
    assert blocks[1].strip() == "bash scripts/test.sh"
    assert "exec bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_library_example_runs() -> None:
    section = README.split("## Library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    model = namespace["model"]
    assert len(model.units) == 14  # type: ignore[attr-defined]
    assert "<html" in str(namespace["html"])

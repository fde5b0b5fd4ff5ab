"""The README cannot drift: CI runs its test command verbatim, and its example answer is what the code says."""

from __future__ import annotations

import re
from pathlib import Path

from reportqa.library import Engine, ask

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, flags=re.S)]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = next(b for b in _bash_blocks() if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_first_command_sets_up_and_serves() -> None:
    first = _bash_blocks()[0]
    assert first.startswith("python3 -m venv .venv") and first.endswith("reportqa serve")


def test_readme_ask_example_is_what_the_engine_answers(engine: Engine) -> None:
    block = re.search(r"```console\n\$ reportqa ask \"(.+?)\"\n(.*?)```", README, flags=re.S)
    assert block is not None
    question, shown = block.group(1), block.group(2).splitlines()
    answer = ask(question, engine)
    assert shown[0] == answer.answer
    assert any(f"verified: {f.text}" == line.strip() for f in answer.facts for line in shown)

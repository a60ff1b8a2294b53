"""Every audit code the code can write has a Spanish label for the Bitácora and the histories."""

from __future__ import annotations

import re
from pathlib import Path

import acuerdos
from acuerdos.audit.selectors import MORE_ACTIONS, action_label
from acuerdos.audit.story import ACTIONS

CODE = re.compile(r"""\baction\s*=\s*["']([a-z_]+\.[a-z_]+)["']""")


def _codes_in_source() -> dict[str, str]:
    """`action="x.y"` literals outside tests and migrations, with the first file using each."""
    root = Path(acuerdos.__file__).parent
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, str(path.relative_to(root)))
    return found


def test_it_finds_the_codes_it_checks():
    codes = _codes_in_source()
    assert "progress.validated" in codes
    assert len(codes) > 30


def test_it_labels_every_code_the_code_writes_in_spanish():
    known = {**ACTIONS, **MORE_ACTIONS}
    missing = {code: path for code, path in _codes_in_source().items() if code not in known}
    assert not missing, f"Audit codes without a Spanish label (audit/selectors.py): {missing}"


def test_it_reads_a_label_not_a_code():
    assert action_label("user.invited") == "envió la invitación"

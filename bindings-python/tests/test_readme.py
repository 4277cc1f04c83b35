"""The Python quickstart of the top-level README.md is a runnable snippet kept in sync by this
test: the ```python block under "### Python" is executed, as written, against a fresh sandbox.
Only the connection is swapped: the Degreed hosts for the sandbox's URL, and the placeholder
credentials for the sandbox's key. If the README no longer holds the text this test
substitutes, the test fails and says what to update."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict

import pytest

from .conftest import CLIENT_ID, CLIENT_SECRET, ROOT, SandboxFactory

README = ROOT / "README.md"


def snippet_of(markdown: str, heading: str, lang: str) -> str:
    """The body of the first ```<lang> block in the section whose heading starts with ``heading``."""
    lines = markdown.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith(heading)]
    if not starts:
        pytest.fail(f'README.md has no heading starting with "{heading}"')
    level = len(heading) - len(heading.lstrip("#"))
    opened = -1
    for i in range(starts[0] + 1, len(lines)):
        line = lines[i]
        h = re.match(r"(#+)\s", line)
        if opened == -1 and h and len(h.group(1)) <= level:
            break  # the next section
        if opened == -1 and line.strip() == f"```{lang}":
            opened = i
        elif opened != -1 and line.strip() == "```":
            return "\n".join(lines[opened + 1 : i])
    pytest.fail(f'README.md: no ```{lang} block under "{heading}"')


def substitute(code: str, old: str, new: str) -> str:
    """Replaces ``old``, which must occur exactly once, with ``new``."""
    found = code.count(old)
    if found != 1:
        pytest.fail(
            f"the README snippet must contain {old} exactly once (found {found}); "
            "update the README or bindings-python/tests/test_readme.py"
        )
    return code.replace(old, new)


def test_the_readme_python_quickstart_runs_against_the_sandbox(
    make_sandbox: SandboxFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    sb = make_sandbox("--rate-limit", "0")
    snippet = snippet_of(README.read_text(encoding="utf-8"), "### Python", "python")
    assert "import degreed" in snippet
    code = substitute(snippet, 'environment="production", data_center="eu"', f"base_url={sb.url!r}")
    code = substitute(code, '"my-client-id"', repr(CLIENT_ID))
    code = substitute(code, '"my-secret"', repr(CLIENT_SECRET))

    # The users the sandbox holds before the snippet runs: each must be printed.
    with sb.client() as client:
        seeded = [(u.id, u.employee_id) for u in client.users.list(limit=1000)]
    assert seeded

    namespace: Dict[str, Any] = {"__name__": "__readme__"}
    try:
        exec(compile(code, f"{README}[### Python]", "exec"), namespace)
    finally:
        if hasattr(namespace.get("client"), "close"):
            namespace["client"].close()
    out = capsys.readouterr().out
    printed = out.splitlines()
    for user_id, employee_id in seeded:
        assert any(line.startswith(f"{user_id} {employee_id} ") for line in printed), (user_id, employee_id, out)
    assert CLIENT_SECRET not in out

    # The completion the snippet records was applied, once.
    completions = [w for w in sb.writes() if w["method"] == "POST" and w["path"] == "/api/v2/completions"]
    assert len(completions) == 1, completions
    assert completions[0]["resource_type"] == "completions"


def test_the_snippet_extraction_fails_loudly_when_the_readme_changes() -> None:
    md = "# x\n### Python\n\ntext\n\n```python\na = 1\n```\n### Rust\n```python\nno\n```\n"
    assert snippet_of(md, "### Python", "python") == "a = 1"
    with pytest.raises(pytest.fail.Exception, match="no heading"):
        snippet_of(md, "### JavaScript", "js")
    with pytest.raises(pytest.fail.Exception, match="no ```python block"):
        snippet_of("### Python\n### Rust\n```python\nx\n```\n", "### Python", "python")
    with pytest.raises(pytest.fail.Exception, match=r"exactly once \(found 0\)"):
        substitute("a b", "c", "d")
    with pytest.raises(pytest.fail.Exception, match=r"exactly once \(found 2\)"):
        substitute("c c", "c", "d")

"""Every shell command the README and the docs show runs as written.

The ```bash blocks of each page run in order, one command a line, in one folder per page
(so a later command can use what an earlier one wrote), where ``.venv/bin/parcours`` and
``parcours`` are this checkout's CLI and ``parcours/`` is its package folder (the README's
``parcours/examples/demo``). A command must exit 0; a line ending in ``# exits N`` must
exit N. ``parcours serve`` must print its URL and how to sign in, then is stopped. The
README's two set-up scripts are what CI runs; they are checked for what they call. The
benchmark commands of ``docs/benchmarks.md`` are not run here (they take minutes each).
``export NAME=VALUE`` lines set the variable for the page's later commands.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SETUP_SCRIPTS = ("bash scripts/quickstart.sh", "bash scripts/test.sh")
#: Benchmarks run for minutes under bench/ and write docs/benchmarks.md; CI does not run them.
BENCHMARKS = (".venv/bin/python bench/", "python bench/")


def shell_commands(markdown: str) -> list[str]:
    """The commands of the ```bash blocks of a page, continuation lines joined."""
    commands: list[str] = []
    for block in re.findall(r"^```bash\n(.*?)^```", markdown, flags=re.S | re.M):
        pending = ""
        for line in block.splitlines():
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            line = pending + line
            pending = ""
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line.strip())
    return commands


def _expected_exit(command: str) -> int:
    found = re.search(r"#\s*exits\s+(\d+)\s*$", command)
    return int(found.group(1)) if found else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sandbox(tmp_path: Path) -> dict[str, str]:
    """A folder where the page's commands find the CLI as the README names it."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    wrapper = bin_dir / "parcours"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m parcours "$@"\n')
    wrapper.chmod(0o755)
    (tmp_path / "parcours").symlink_to(ROOT / "parcours")
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["PARCOURS_DB"] = str(tmp_path / "server.db")
    env["PARCOURS_PORT"] = str(_free_port())
    env["HOME"] = str(tmp_path)  # nothing written outside the sandbox
    env.pop("PARCOURS_DEBUG", None)
    return env


def _serve(command: str, cwd: Path, env: dict[str, str]) -> str:
    """Start a ``parcours serve`` line; return what it printed once it is up; stop it."""
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    out = ""
    try:
        deadline = time.monotonic() + 90
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            out += line
            if "Application startup complete" in line or "Uvicorn running" in line:
                break
        return out
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _pages_with_commands() -> list[Path]:
    return [p for p in PAGES if shell_commands(p.read_text(encoding="utf-8"))]


def test_the_readme_shows_commands() -> None:
    commands = shell_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert any(c.startswith(SETUP_SCRIPTS[0]) for c in commands)
    assert any(c.startswith(SETUP_SCRIPTS[1]) for c in commands)
    assert len(commands) >= 10


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
    quickstart = (ROOT / "scripts" / "quickstart.sh").read_text(encoding="utf-8")
    assert "parcours serve" in quickstart


@pytest.mark.slow
@pytest.mark.parametrize("page", _pages_with_commands(), ids=lambda p: p.name)
def test_every_command_of_a_page_runs_as_written(page: Path, tmp_path: Path) -> None:
    env = _sandbox(tmp_path)
    for command in shell_commands(page.read_text(encoding="utf-8")):
        if command.startswith(SETUP_SCRIPTS) or command.startswith(BENCHMARKS):
            continue
        if command.startswith("export "):  # the page's later commands see the variable
            name, _, value = shlex.split(command)[1].partition("=")
            env[name] = value
            continue
        if re.search(r"\bparcours serve\b", command):
            out = _serve(command, tmp_path, env)
            assert f"http://localhost:{env['PARCOURS_PORT']}/" in out, out
            assert "sign in as" in out, out
            continue
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        expected = _expected_exit(command)
        assert done.returncode == expected, (
            f"{page.name}: `{command}` exited {done.returncode} (expected {expected})\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
        assert "internal error" not in done.stderr, f"{page.name}: `{command}`\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{page.name}: `{command}`\n{done.stderr}"


def test_the_readme_map_is_complete_and_strictly_valid(tmp_path: Path) -> None:
    """The README's map names only what it defines, so --strict has nothing to say."""
    from parcours.files import read
    from parcours.model.journey import Journey

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "map.yaml"
    path.write_text(block, encoding="utf-8")
    journey, problems = read(path)
    assert isinstance(journey, Journey)
    assert problems == []
    assert journey.lang == "fr"
    done = subprocess.run(
        [sys.executable, "-m", "parcours", "validate", "--strict", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in (done.stdout + done.stderr).lower()
    kpi = journey.library.kpis[0]
    assert kpi.higher_is_better is False  # 38 % abandon against 15 % is drawn as missed

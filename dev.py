#!/usr/bin/env python3
"""Set up wangge and run it, or its tests, with nothing but Python 3.11+ and pip.

    python3 dev.py demo [serve options]   build the 洛龙街道 demo data, then serve it
    python3 dev.py test [--postgres] [--no-lint] [--no-browser] [pytest args]
    python3 dev.py setup                  only create .venv and install wangge into it

Standard library only: it runs before anything is installed. It creates .venv beside this
file, installs wangge with its dev extras into it (again only when pyproject.toml changed),
and runs the venv's own tools.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "wangge-install.sha256"
CHROMIUM = Path("/usr/bin/chromium")
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def fail(message: str, code: int = 1) -> None:
    print(f"dev.py: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def run(cmd: Sequence[str | Path], *, env: dict[str, str] | None = None, check: bool = True) -> int:
    printable = " ".join(str(c) for c in cmd)
    say(f"$ {printable}")
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and code != 0:
        fail(f"`{printable}` failed (exit {code})", code)
    return code


# --- setup -------------------------------------------------------------------------------------


def _install_hash() -> str:
    # A changed pyproject.toml (dependencies, extras, entry points) means reinstalling.
    return hashlib.sha256(ROOT.joinpath("pyproject.toml").read_bytes()).hexdigest()


def _create_venv() -> None:
    say(f"creating {VENV}")
    if subprocess.call([sys.executable, "-m", "venv", str(VENV)]) == 0:
        return
    # Debian's python3 without the python3-venv package has no ensurepip: make the venv
    # without pip and let the system's pip install pip into it.
    shutil.rmtree(VENV, ignore_errors=True)
    if subprocess.call([sys.executable, "-m", "venv", "--without-pip", str(VENV)]) != 0:
        fail("cannot create a virtual environment (python3 -m venv failed)")
    code = subprocess.call(
        [sys.executable, "-m", "pip", "--python", str(PYTHON), "install", "--quiet", "pip"]
    )
    if code != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        fail(
            "cannot put pip into .venv: install your system's venv support"
            " (on Debian/Ubuntu: apt-get install python3-venv) and try again"
        )


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - any python3 may start this script
        fail(f"wangge needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        _create_venv()
    wanted = _install_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and (BIN / "wangge").exists():
        return
    say("installing wangge and its development tools into .venv")
    run([PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]"])
    STAMP.write_text(wanted + "\n")


def venv_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONHOME", None)
    env.update(extra)
    return env


# --- demo --------------------------------------------------------------------------------------


def demo(serve_args: list[str]) -> None:
    setup()
    env = venv_env()
    wangge = str(BIN / "wangge")
    run([wangge, "migrate", "--no-input", "--verbosity", "0"], env=env)
    run([wangge, "demo"], env=env)
    say(f"serving; stop with Ctrl-C (data in {env.get('WANGGE_DATA_DIR', ROOT / 'data')})")
    # Replace this process, so Ctrl-C and signals reach the server directly.
    sys.stdout.flush()
    os.execve(wangge, [wangge, "serve", "--no-migrate", *serve_args], env)


# --- test --------------------------------------------------------------------------------------


def ensure_chromium() -> None:
    """Debian's Chromium for the browser tests; never a browser download from Playwright."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None:
        fail(
            f"the browser tests need Chromium at {CHROMIUM}, and there is no apt-get to"
            " install it: install Chromium there, or run `python3 dev.py test --no-browser`"
        )
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            fail(f"Chromium is missing at {CHROMIUM}; as root run: apt-get install -y chromium")
        prefix = ["sudo"]
    say(f"{CHROMIUM} is missing: installing Debian's chromium package")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        if run([*prefix, *cmd], env=env, check=False) != 0:
            fail(f"could not install Chromium with `{' '.join(prefix + cmd)}`")
    if not CHROMIUM.exists():
        fail(f"the chromium package was installed but {CHROMIUM} does not exist")


def test(options: argparse.Namespace, pytest_args: list[str]) -> None:
    setup()
    if not options.no_browser:
        ensure_chromium()
    failed: list[str] = []
    env = venv_env()
    if not options.no_lint:
        for name, cmd in (
            ("ruff check", ["ruff", "check", "."]),
            ("ruff format", ["ruff", "format", "--check", "."]),
            ("mypy", ["mypy", "wangge"]),
        ):
            # Every check runs even when one fails, so one run shows everything to fix.
            if run([BIN / cmd[0], *cmd[1:]], env=env, check=False) != 0:
                failed.append(name)

    with tempfile.TemporaryDirectory(prefix="wangge-test-") as data_dir:
        env = venv_env(WANGGE_DATA_DIR=data_dir)
        # The default run is on SQLite whatever the shell exports; --postgres asks for the server.
        env.pop("DATABASE_URL", None)
        if options.postgres:
            env["DATABASE_URL"] = POSTGRES_URL
        args = ["-p", "no:cacheprovider"]
        if options.no_browser:
            args += ["-m", "not browser"]
        code = run([PYTHON, "-m", "pytest", *args, *pytest_args], env=env, check=False)
    if code == 5:
        failed.append("pytest (it collected no test)")
    elif code != 0:
        failed.append(f"pytest (exit {code})")

    if failed:
        fail("failed: " + ", ".join(failed))
    say("all checks passed" + (" (PostgreSQL)" if options.postgres else ""))


def main(argv: list[str] | None = None) -> None:
    # No abbreviations: an argument meant for pytest must never match one of ours by prefix.
    parser = argparse.ArgumentParser(
        prog="python3 dev.py",
        description=__doc__,
        formatter_class=argparse.RawTextHelpFormatter,
        allow_abbrev=False,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create .venv and install wangge into it")
    sub.add_parser(
        "demo",
        help="build the demo data and serve it; extra arguments go to `wangge serve`",
        add_help=False,
    )
    t = sub.add_parser(
        "test",
        help="lint, type-check and run the tests; extra args go to pytest",
        allow_abbrev=False,
    )
    t.add_argument("--postgres", action="store_true", help=f"run pytest on {POSTGRES_URL}")
    t.add_argument("--no-lint", action="store_true", help="skip ruff and mypy")
    t.add_argument(
        "--no-browser", action="store_true", help="skip the browser tests (no Chromium needed)"
    )
    options, extra = parser.parse_known_args(argv)
    # ./data (the default data folder) and every relative path are the repository's.
    os.chdir(ROOT)
    if options.command == "setup":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        setup()
        say(f"ready: activate with `. {BIN / 'activate'}`, then run `wangge --help`")
    elif options.command == "demo":
        demo(extra)
    else:
        test(options, extra)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit(130) from None

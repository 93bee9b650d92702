#!/usr/bin/env python3
"""The two set-up commands of the README, with nothing but Python 3.11+ needed beforehand.

    python3 dev.py serve   # virtualenv, dependencies, database, demo data; serves http://127.0.0.1:8000
    python3 dev.py test    # virtualenv, test dependencies, then the whole test suite (pytest)

Extra arguments after ``test`` go to pytest. The virtualenv lives in .venv/ in the project.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install ``requirements`` unless the same file is already installed."""
    if not PYTHON.exists():
        print("Skapar virtuell miljö i .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    req_files = [ROOT / "requirements.txt", ROOT / requirements]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in req_files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installerar beroenden från {requirements} …", flush=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", ROOT / requirements)
    stamp.write_text(digest)


def serve() -> None:
    ensure_venv("requirements.txt")
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    run(PYTHON, "manage.py", "create_dev_certificate", "--if-missing", env=env)
    run(PYTHON, "manage.py", "load_demo", env=env)
    print("Protokoll körs på http://127.0.0.1:8000/ (avsluta med Ctrl+C)", flush=True)
    os.chdir(ROOT)
    os.execve(str(PYTHON), [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"], env)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when we may (root with apt-get)."""
    if Path("/usr/bin/chromium").exists():
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installerar Chromium för webbläsartesterna (apt-get) …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "chromium", env=env)
    else:
        print("Chromium saknas (/usr/bin/chromium): webbläsartesterna hoppas över.", flush=True)


def ensure_node_packages() -> None:
    """The e-legitimation tests run a real OpenID Connect provider on Node.js (tests/oidc_provider)."""
    spec = importlib.util.spec_from_file_location("oidc_install", ROOT / "tests" / "oidc_provider" / "install.py")
    installer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(installer)
    reason = installer.missing_reason()
    if reason:
        print(f"{reason}: e-legitimationstesterna hoppas över.", flush=True)
        return
    installer.install(announce="Installerar testleverantören för e-legitimation (npm ci) …")


def test(pytest_args: list[str]) -> None:
    ensure_venv("requirements-dev.txt")
    ensure_chromium()
    ensure_node_packages()
    os.chdir(ROOT)
    os.execv(str(PYTHON), [str(PYTHON), "-m", "pytest", *pytest_args])


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "serve":
        serve()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()

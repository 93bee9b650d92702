"""Installing the test OpenID Connect provider's npm packages (``npm ci``), once per lock file.

Standard library only: ``dev.py test`` runs it before the virtualenv's packages are there, and the
test fixture (tests/oidc.py) runs it for a bare ``pytest``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
# oidc-provider 9 uses URL.parse (Node.js 20.18 and later).
MINIMUM_NODE = (20, 18)


def missing_reason() -> str | None:
    """Why the provider cannot run here, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Node.js and npm are needed for the OpenID Connect test provider"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    try:
        found = tuple(int(part) for part in version.lstrip("v").split(".")[:2])
    except ValueError:
        return f"cannot read the Node.js version {version!r}"
    if found < MINIMUM_NODE:
        return f"Node.js {version} is too old for the OpenID Connect test provider (needs 20.18 or later)"
    return None


def install(announce: str = "") -> None:
    """``npm ci`` unless node_modules already holds exactly what package-lock.json names; prints
    ``announce`` first when it has work to do."""
    stamp = HERE / "node_modules" / ".protokoll-lock"
    lock = (HERE / "package-lock.json").read_text()
    if stamp.exists() and stamp.read_text() == lock:
        return
    if announce:
        print(announce, flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True)
    stamp.write_text(lock)

"""LibreOffice converting what parcours writes, as the tests marked ``libreoffice`` need it."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path


def convert(paths: Iterable[Path], outdir: Path, to: str = "pdf") -> None:
    """Convert every file of ``paths`` into ``outdir`` with one ``soffice`` call (it takes
    seconds to start), in a profile of its own that is removed afterwards."""
    soffice = shutil.which("soffice")
    assert soffice, (
        "LibreOffice (soffice) is required: apt-get install libreoffice-calc libreoffice-impress"
    )
    profile = Path(f"/tmp/lo-{uuid.uuid4().hex}")
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *(str(p) for p in paths),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)

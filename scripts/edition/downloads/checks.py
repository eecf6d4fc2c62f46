"""External checks of a finished download: EPUBCheck (Debian's epubcheck, run with Java)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ..errors import BuildError

EPUBCHECK_JARS = (Path("/usr/share/java/epubcheck.jar"),)


def epubcheck_command() -> list[str] | None:
    java = shutil.which("java")
    jar = next((j for j in EPUBCHECK_JARS if j.exists()), None)
    # A short-lived JVM: the quick JIT tier and the serial collector halve EPUBCheck's start-up here.
    return [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar)] if java and jar else None


def check_epub(path: Path) -> None:
    """EPUBCheck must report 0 errors and 0 warnings; without Java or epubcheck the build stops too."""
    command = epubcheck_command()
    if not command:
        raise BuildError(path, None, "EPUBCheck not found: apt-get install epubcheck default-jre-headless")
    result = subprocess.run(command + [str(path)], capture_output=True, text=True)
    output = result.stdout + result.stderr
    counts = re.search(r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings", output)
    if result.returncode != 0 or (counts and any(int(n) for n in counts.groups())):
        first = next((l for l in output.splitlines() if re.match(r"(FATAL|ERROR|WARNING)", l)), output.strip()[-200:])
        raise BuildError(path, None, f"EPUBCheck: {first}")

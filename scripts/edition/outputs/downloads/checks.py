"""External checks of a finished download: EPUBCheck (Debian's epubcheck, run with Java)."""

from __future__ import annotations

import ctypes.util
import re
import shutil
import subprocess
from pathlib import Path

from ...errors import BuildError
from .fonts import missing_packages

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


def missing_tools() -> list[str]:
    """The Debian packages `edition build --downloads` needs and this machine lacks (none are needed to build,
    serve or test the site): WeasyPrint's Pango, the PDF fonts, EPUBCheck with Java."""
    missing = [] if ctypes.util.find_library("pango-1.0") else ["libpango-1.0-0", "libpangoft2-1.0-0"]
    missing += missing_packages()
    if not epubcheck_command():
        missing += ["epubcheck", "default-jre-headless"]
    return missing

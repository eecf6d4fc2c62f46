"""The one error type of the pipeline: every validator reports a file and a line."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """A problem in the project's input; printed as ``path:line: message`` without a traceback."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):  # raised in a worker process, it crosses back whole
        return (BuildError, (self.path, self.line, self.message))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

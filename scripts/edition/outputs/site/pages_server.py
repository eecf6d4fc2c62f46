"""A local static server that serves a built site the way GitHub Pages serves a project site: below a
sub-path (``/edition/``), with gzip (level 6) for text types when the browser accepts it. Used by the
browser tests and by scripts/benchmark.py (page weight, search bytes, Lighthouse)."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

PREFIX = "/edition/"
TEXT_TYPES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".mjs", ".bib", ".ris"}


def wire_size(path: Path) -> int:
    """Bytes on the wire for ``path``: gzip -6 for text types; binaries (and Pagefind's own gzipped
    files) as stored."""
    data = path.read_bytes()
    return len(gzip.compress(data, 6, mtime=0)) if path.suffix in TEXT_TYPES else len(data)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"  # a folder's index page is gzipped like any page (GitHub Pages does)
        if path.suffix not in TEXT_TYPES or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()  # folders without a slash (redirect), binaries, clients without gzip
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:  # keep test and benchmark output clean
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 under the sub-path; yields the site's base URL."""
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()

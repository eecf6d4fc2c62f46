"""Build the downloads of every text, cached by the hash of their inputs, and place them beside the text's
pages in the generated docs (MkDocs copies them into the site). ``build=False`` only reuses the cache,
so a plain ``edition build`` stays fast and still links downloads that are up to date."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path

from ... import paths
from ...cache import Store
from ...errors import BuildError
from ...model import ui
from ...model.corpus import Text
from ...model.register import REGISTER_FILE
from ...model.witness import Witness
from ...model.yamlio import load_yaml
from ...render import output
from .checks import missing_tools
from .fonts import CONFIG as FONTS_CONFIG
from .fonts import families

CACHE = paths.BUILD / "cache" / "downloads"  # a folder of the cache store (edition.cache)
HERE = Path(__file__).parent
FORMATS = ("pdf", "epub", "xml")  # each named by downloads.format.<fmt> of the interface catalogue


@dataclass
class Download:
    fmt: str
    path: Path  # in the generated docs: <text-id>/<text-id>.<fmt>
    size: int
    seconds: float  # build time (0.0 when taken from the cache)

    @property
    def label(self) -> str:
        """The format as the text's landing page names it (the renderer needs no import of this package)."""
        return ui.text(f"downloads.format.{self.fmt}")


def input_hash(text: Text, witness: Witness, shared: tuple[bytes, bytes]) -> str:
    """Everything a download is made from: the text's corpus folder and witness, and what every text's are made
    from (``shared_inputs``, read once per build rather than once per text)."""
    files, settings = shared
    h = hashlib.sha256()
    for f in sorted(text.dir.iterdir()):
        h.update(_file_entry(f))
    h.update(files + witness.sha256.encode() + settings)
    return h.hexdigest()[:16]


def shared_inputs() -> tuple[bytes, bytes]:
    """What every text's downloads are made from, as ``input_hash`` hashes it: the files (citation data,
    bibliography, edition metadata, this package's code, CSS and schema, the fonts) and the settings (the
    engine's version, SITE_URL, the interface language with its catalogue: the front matter's words)."""
    files = sorted((paths.DATA / "citations").glob("*")) + [
        paths.BIBLIOGRAPHY, paths.DATA / "edition.yml", paths.CORPUS / "aliases.yml", REGISTER_FILE]
    files += sorted(p for p in HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [f for fam in families().values() for f in fam.faces.values()]
    settings = version("weasyprint").encode() + os.environ.get("SITE_URL", "").encode() + ui.fingerprint().encode()
    return b"".join(_file_entry(f) for f in files), settings


def _file_entry(f: Path) -> bytes:
    return str(f.name).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest() if f.is_file() else b""


def _make(text: Text, witness: Witness, where: Path) -> dict[str, float]:
    import time

    from .checks import check_epub
    from .epub import write_epub
    from .model import load_document
    from .pdf import write_pdf
    from .tei import write_tei

    doc = load_document(text, witness)
    modified = f"{load_yaml(paths.DATA / 'edition.yml')['date']}T00:00:00Z"
    seconds = {}

    def epub(d, target: Path) -> None:
        write_epub(d, target, modified)
        check_epub(target)  # a failed EPUBCheck fails the build (the TEI writer validates itself)

    for fmt, write in (("xml", write_tei), ("epub", epub), ("pdf", write_pdf)):
        start = time.perf_counter()
        write(doc, where / f"{text.id}.{fmt}")
        seconds[fmt] = time.perf_counter() - start
    return seconds


def build_downloads(texts: list[Text], witnesses: dict[str, Witness], docs: Path, build: bool = True,
                    cache: Path = CACHE) -> dict[str, list[Download]]:
    """text id → its downloads, copied into ``docs/<text-id>/`` (only texts whose downloads exist).

    The downloads are optional: where their tools are missing, ``build`` stops with the packages to install,
    and a plain build links none (``downloads_note`` says so)."""
    out: dict[str, list[Download]] = {}
    lacking = missing_tools()
    if lacking and build:
        raise BuildError(FONTS_CONFIG, None, "--downloads needs Debian packages this machine lacks: "
                                             f"apt-get install {' '.join(lacking)}")
    if lacking:
        return out
    store = Store(cache)
    shared = shared_inputs()
    for text in texts:
        # one version per text and interface language (their front matter differs): each keeps its own
        entry = f"{text.id}/{ui.language()}/{input_hash(text, witnesses[text.id], shared)}"
        ready = cache / entry
        seconds = {}
        if not all((ready / f"{text.id}.{fmt}").exists() for fmt in FORMATS):
            if not build:
                continue
            seconds = store.make_folder(entry, partial(_make, text, witnesses[text.id]))  # replaces the older
        (docs / text.id).mkdir(parents=True, exist_ok=True)
        out[text.id] = []
        for fmt in FORMATS:
            target = docs / text.id / f"{text.id}.{fmt}"
            output.copy(ready / f"{text.id}.{fmt}", target)
            out[text.id].append(Download(fmt, target, target.stat().st_size, seconds.get(fmt, 0.0)))
    return out


def downloads_note() -> str | None:
    """One line for a plain build on a machine that could not build the downloads."""
    lacking = missing_tools()
    return (f"note: no PDF/EPUB/TEI downloads linked (optional: `edition build --downloads` needs apt-get install "
            f"{' '.join(lacking)})") if lacking else None

"""Collection marks. Every test of tests/browser drives Chromium: marked ``browser`` (left out of the quick
subset with ``-m "not browser"``). For pytest-xdist (``--dist loadgroup``, scripts/dev.py) the other tests
of a module stay on one worker, so that a module's built site or scratch copies are made once; the browser
tests, each on a site built once per run (tests/browser/edition_sites.py), are shared out one by one."""

from pathlib import Path

import pytest

BROWSER = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
        else:
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))

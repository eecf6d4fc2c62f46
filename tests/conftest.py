"""Every test of tests/browser drives Chromium: marked ``browser``, whether or not its module says so, so that
the quick subset (``-m "not slow and not browser"``) leaves them out."""

from pathlib import Path

import pytest

BROWSER = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)

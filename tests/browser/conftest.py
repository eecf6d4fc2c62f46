"""Every test in this folder drives Chromium: marked ``browser`` (left out of the quick subset with
``-m "not browser"``), whether or not its module says so."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)

"""An accessibility check with axe-core, for the browser tests of every app."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    results = _axe.run(page)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"][:3]],
        }
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]

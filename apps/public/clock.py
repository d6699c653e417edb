"""The server's clock for the notice timer, in one place so a browser test can move it forward
together with the browser's clock (Playwright's page.clock) instead of waiting 15 real seconds."""

import time


def now() -> float:
    return time.time()

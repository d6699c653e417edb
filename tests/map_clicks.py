"""A real mouse click on an ECharts map, made again when it started nothing.

ECharts hit-tests against the shapes of the last frame it painted, and it paints on the next
animation frame; on a loaded machine the point can be read, and the click made, before the frame
that draws the new map. A person would click again, and so does this."""

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ATTEMPTS = 3


def click_map(page, map_selector: str, point_js: str, point_arg, done_js: str, done_arg, what: str) -> None:
    """Click `map_selector` at the point `point_js(point_arg)` returns (pixels relative to the
    chart) until `done_js(done_arg)` holds, reading the point afresh before each click."""
    for _attempt in range(ATTEMPTS):
        point = page.evaluate(point_js, point_arg)
        assert point, f"{what} is not on the map"
        # Relative to the map element, which Playwright first scrolls into the viewport.
        page.locator(map_selector).click(position={"x": point[0], "y": point[1]})
        try:
            page.wait_for_function(done_js, arg=done_arg, timeout=5000)
            return
        except PlaywrightTimeoutError:
            page.wait_for_timeout(500)
    raise AssertionError(f"clicking {what} on the map started nothing")

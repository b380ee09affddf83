"""The report as a person sees it: rendered by headless Chromium (Debian's ``chromium``).

A copy of the page gets a tiny probe script that writes the rendered size of
every chart and the row count of every table into the DOM; ``--dump-dom``
returns it. A screenshot checks that the charts' colours are actually on
screen. Without Chromium the tests skip locally and fail in CI (``CI`` set).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from naio_nlp.report import STATUS_COLOURS, build_report
from naio_nlp.schema import Article, Prediction

pytestmark = pytest.mark.browser

Rows = list[tuple[Article, Prediction]]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
#: Desktop and phone widths the report must read well at.
WIDTHS = (1280, 390)

PROBE = """<script>
(function () {
  var out = {charts: [], tables: [], text: document.body.innerText.length,
             viewport: window.innerWidth, page: document.documentElement.scrollWidth,
             clipped: []};
  document.querySelectorAll("svg.chart, img").forEach(function (el) {
    var r = el.getBoundingClientRect();
    var vb = el.viewBox && el.viewBox.baseVal ? el.viewBox.baseVal.width : 0;
    var font = parseFloat(el.getAttribute("data-min-font") || "0");
    out.charts.push({tag: el.tagName.toLowerCase(), w: r.width, h: r.height,
                     visible: r.width > 0 && r.height > 0,
                     font_px: vb ? font * r.width / vb : 0,
                     right: r.right, left: r.left,
                     shapes: el.querySelectorAll("path, rect, use").length});
  });
  document.querySelectorAll("table").forEach(function (t) {
    var cells = t.querySelectorAll("tbody td");
    var filled = 0;
    cells.forEach(function (c) { if (c.textContent.trim()) { filled += 1; } });
    var box = t.closest(".scroll");
    var hint = box && box.previousElementSibling;
    var shown = t.getBoundingClientRect().width > 0;
    out.tables.push({cls: t.className, rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0,
                     filled: filled, shown: shown,
                     overflows: box ? box.scrollWidth > box.clientWidth + 1 : false,
                     scrolls: box ? getComputedStyle(box).overflowX === "auto" : false,
                     shadow: box ? getComputedStyle(box).backgroundImage.indexOf("gradient") >= 0
                                 : false,
                     hint: !!(hint && hint.classList.contains("scroll-hint") &&
                              hint.getBoundingClientRect().height > 0)});
  });
  document.querySelectorAll("main *").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > window.innerWidth + 1 && !el.closest(".scroll")) {
      out.clipped.push(el.tagName + "." + el.className);
    }
  });
  if (window.parent !== window) {
    window.parent.postMessage(JSON.stringify(out), "*");
    return;
  }
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""

#: Headless Chromium's window is at least 500 px wide, so a phone is an iframe
#: of the phone's width: its viewport, media queries included, is that wide.
PHONE = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="probed.html" width="{width}" height="3000" style="border:0"></iframe>
<script>
window.addEventListener("message", function (e) {{
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = e.data;
  document.body.appendChild(pre);
}});
</script></body></html>"""


def find_chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        reason = "headless Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must run the browser test")
        pytest.skip(reason)
    return found


def chromium(args: list[str], tmp: Path, width: int = 1280, height: int = 3200) -> str:
    done = subprocess.run(
        [
            find_chromium(),
            *FLAGS,
            f"--window-size={width},{height}",
            f"--user-data-dir={tmp / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(tmp)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def probe(page: Path, tmp: Path, width: int = 1280) -> dict[str, Any]:
    probed = page.with_name("probed.html")
    probed.write_text(
        page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    target = probed
    if width < 500:
        target = page.with_name("phone.html")
        target.write_text(PHONE.format(width=width), encoding="utf-8")
    dom = chromium(["--virtual-time-budget=5000", "--dump-dom", target.as_uri()], tmp)
    start = dom.index('<pre id="probe">') + len('<pre id="probe">')
    raw = dom[start : dom.index("</pre>", start)]
    result: dict[str, Any] = json.loads(raw.replace("&quot;", '"').replace("&amp;", "&"))
    return result


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, make_rows: Callable[..., Rows]) -> Path:
    out = tmp_path_factory.mktemp("report")
    build_report(
        make_rows(90),
        out_dir=out,
        model_info={"name": "test-model", "version": "1", "metrics": {"status_macro_f1": 0.8}},
    )
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_and_tables_render(report_dir: Path, tmp_path: Path, width: int) -> None:
    found = probe(report_dir / "index.html", tmp_path, width)
    assert found["viewport"] == width, found["viewport"]
    charts = [c for c in found["charts"] if c["visible"]]
    assert len(charts) >= 4, found["charts"]
    assert len(charts) == len(found["charts"]) // 2, "one of each chart's two drawings shows"
    for chart in charts:
        assert chart["w"] > 200 * min(1, width / 1280) and chart["h"] > 100, chart
        assert chart["shapes"] > 10, chart
        assert chart["font_px"] >= 10, f"chart text {chart['font_px']:.1f} px at {width} px"
        assert chart["left"] >= 0 and chart["right"] <= width, chart
    tables = {t["cls"]: t for t in found["tables"]}
    for name in (
        "monthly",
        "ledger",
        "by-type",
        "by-domain",
        "domain-by-type",
        "by-source",
        "artifacts",
        "symbolic",
    ):
        assert tables[name]["rows"] > 0 and tables[name]["filled"] > 0, (name, tables.get(name))
    assert tables["model"]["rows"] >= 3
    # nothing sticks out of the page; a table too wide for it scrolls and says so
    assert found["page"] <= width, found["page"]
    assert found["clipped"] == [], found["clipped"][:10]
    wide = [t for t in found["tables"] if t["overflows"]]
    for t in wide:
        # scroll shadows (CSS only) mark an edge with more table beyond it
        assert t["scrolls"] and t["shadow"], t
        if width < 500 and t["shown"] and t["cls"] != "model":
            assert t["hint"], f"table {t['cls']} scrolls at {width} px without saying so"
    if width < 500:
        assert any(t["overflows"] for t in found["tables"]), "no table needed to scroll?"


def test_screenshot_shows_the_charts(report_dir: Path, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "shot.png"
    # tall enough for the whole page: the status colours are in the lower charts
    chromium([f"--screenshot={shot}", (report_dir / "index.html").as_uri()], tmp_path, height=9000)
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        colours = colour_counts(rgb)
    assert len(colours) > 50, "the screenshot is blank"
    for status in ("artifact", "symbolic"):
        hex_colour = STATUS_COLOURS[status]
        rgb_colour = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert colours.get(rgb_colour, 0) > 2000, f"{status} bars are not visible"


def colour_counts(image: Any) -> dict[tuple[int, int, int], int]:
    return {colour: n for n, colour in image.getcolors(maxcolors=1 << 24)}


def test_empty_report_renders_a_message(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    build_report([], out_dir=out)
    found = probe(out / "index.html", tmp_path)
    assert found["charts"] == []
    assert found["text"] > 100
    dom = chromium(["--dump-dom", (out / "index.html").as_uri()], tmp_path)
    assert "Nothing to report yet" in dom

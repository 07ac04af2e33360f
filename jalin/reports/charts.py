"""The reports' charts, drawn once with matplotlib as PNG: the PDF embeds the same image as
the DOCX, so both formats carry the same chart. Horizontal bars with the value after
each bar in Indonesian notation; the saved image is cut to everything drawn
(`bbox_inches="tight"`), so no label is ever clipped ("Rp 72.799.000" stays whole)."""

import io
import textwrap
from dataclasses import dataclass

from jalin.lib.formatting import number, rupiah

PALETTE = ["#1d4e89", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a", "#8ab17d", "#b56576"]
WIDTH_INCHES = 6.3  # fits the A4 text width (210 mm - 50 mm of margins)
PNG_DPI = 150  # sharp on paper, light to embed


@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[tuple[str, float]]
    money: bool = False

    def shown(self, value) -> str:
        return rupiah(value) if self.money else number(value)


def figure(chart: Chart):
    """The matplotlib Figure of a chart (no pyplot: nothing global, safe in a worker)."""
    from matplotlib.figure import Figure

    rows = chart.rows or [("–", 0)]
    labels = [textwrap.fill(str(label), 32) for label, _value in rows]
    values = [float(value or 0) for _label, value in rows]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig = Figure(figsize=(WIDTH_INCHES, 0.6 + 0.28 * lines + 0.1 * len(rows)))
    axes = fig.add_subplot()
    positions = list(range(len(rows)))
    axes.barh(positions, values, color=[PALETTE[i % len(PALETTE)] for i in positions], height=0.65)
    axes.set_yticks(positions, labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_title(chart.title, loc="left", fontsize=10, fontweight="bold")
    largest = max(values) or 1
    axes.set_xlim(0, largest * 1.02)
    for position, value in zip(positions, values, strict=True):
        axes.annotate(
            chart.shown(value),
            (value, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            annotation_clip=False,
        )
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    return fig


def _save(chart: Chart, fmt: str, **options) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        figure(chart).savefig(buffer, format=fmt, bbox_inches="tight", pad_inches=0.08, **options)
    return buffer.getvalue()


def data_uri(image: bytes) -> str:
    """A PNG as a data: URI, for the <img> of the PDF (WeasyPrint fetches nothing else)."""
    import base64

    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def png(chart: Chart) -> bytes:
    """An opaque PNG (no alpha channel: the PDF embeds it without a soft mask, much faster)."""
    from PIL import Image

    with Image.open(io.BytesIO(_save(chart, "png", dpi=PNG_DPI))) as picture:
        buffer = io.BytesIO()
        picture.convert("RGB").save(buffer, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()


def width_mm(image: bytes) -> float:
    """The printed width of a chart PNG at its own resolution (charts keep one type size)."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        return round(picture.width / PNG_DPI * 25.4, 1)

"""Charts for the reports as inline SVG, drawn here: no JavaScript, nothing fetched."""

from django.utils.html import escape

PALETTE = ["#1d4e89", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a", "#8ab17d", "#b56576"]


def bar_chart(rows: list[tuple[str, float]], *, title: str, width: int = 640, bar: int = 18) -> str:
    """A horizontal bar chart: one labelled bar per (label, value), the value written after it."""
    rows = list(rows)
    label_width = 210
    gap = 6
    top = 26
    height = top + max(len(rows), 1) * (bar + gap) + 6
    largest = max((value for _label, value in rows), default=0) or 1
    span = width - label_width - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="0" y="16" font-size="13" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar + gap)
        length = int(span * (value / largest)) if value else 0
        text = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" font-size="11" text-anchor="end" fill="#222">'
            f"{escape(text)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" height="{bar}" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        shown = f"{value:,.0f}".replace(",", ".")
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + bar - 5}" font-size="11" fill="#222">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

"""The trend chart as server-rendered SVG: no chart library, readable without
JavaScript; the same figures are in a data table beside it for screen readers."""

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 720, 240, 48, 28, 12


def nice_ceiling(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def trend_svg(points, title: str, description: str):
    """Bars of page views and a line of visitors; points: [(label, views, visitors)]."""
    top = nice_ceiling(max([views for _label, views, _v in points] + [1]))
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(len(points), 1)
    label_every = max(1, len(points) // 12)

    def y(value):
        return PAD_TOP + plot_h - plot_h * value / top

    bars, labels, line = [], [], []
    for index, (label, views, visitors) in enumerate(points):
        x = PAD_LEFT + index * slot
        bars.append(
            (
                round(x + slot * 0.15, 1),
                round(y(views), 1),
                round(slot * 0.7, 1),
                round(PAD_TOP + plot_h - y(views), 1),
                f"{label} : {views}",
            )
        )
        line.append(f"{round(x + slot / 2, 1)},{round(y(visitors), 1)}")
        if index % label_every == 0:
            labels.append((round(x + slot / 2, 1), HEIGHT - 8, label))
    grid = [
        (
            PAD_LEFT,
            round(y(top * i / 4), 1),
            WIDTH - 8,
            round(y(top * i / 4), 1),
            PAD_LEFT - 6,
            round(y(top * i / 4) + 4, 1),
            int(top * i / 4),
        )
        for i in range(5)
    ]
    return format_html(
        '<svg class="stats-chart" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="stats-chart-title stats-chart-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="stats-chart-title">{title}</title>'
        '<desc id="stats-chart-desc">{desc}</desc>{grid}{bars}'
        '<polyline points="{line}" fill="none" stroke="#b3261e" stroke-width="2"/>{labels}</svg>',
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        grid=format_html_join(
            "",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccc"/>'
            '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
            grid,
        ),
        bars=format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#1d4f91"><title>{}</title></rect>',
            bars,
        ),
        line=" ".join(line),
        labels=format_html_join(
            "", '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>', labels
        ),
    )


def bars_svg(points, title: str, description: str, ident: str):
    """Horizontal bars, one per (label, value), for a report's table (the same figures
    are in the table beside it). `ident` makes the title's and description's ids unique
    on a page holding several charts."""
    points = [(label, value or 0) for label, value in points][:20]
    top = max([value for _label, value in points] + [1])
    row, label_w, width = 22, 220, WIDTH
    height = row * len(points) + 8
    plot_w = width - label_w - 70
    bars = []
    for index, (label, value) in enumerate(points):
        y = 4 + index * row
        text = str(label)
        bars.append(
            (
                label_w - 6,
                y + 15,
                text if len(text) <= 32 else text[:31] + "…",
                label_w,
                y + 3,
                round(plot_w * value / top, 1),
                f"{label} : {value}",
                round(label_w + plot_w * value / top + 6, 1),
                y + 15,
                f"{value:,}".replace(",", "\u202f"),
            )
        )
    return format_html(
        '<svg class="stats-chart" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        w=width,
        h=height,
        id=ident,
        title=title,
        desc=description,
        bars=format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="16" fill="#1d4f91"><title>{}</title></rect>'
            '<text x="{}" y="{}" font-size="12">{}</text>',
            bars,
        ),
    )

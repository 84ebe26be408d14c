"""Charts as inline SVG, drawn on the server: no script, no CDN, and readable printed in black and white.

Series are told apart by fill patterns (solid black, hatching, dots, grey, white) rather than
colour, every bar carries its number, and every row its label, so a photocopy reads like the
screen. Only SVG presentation attributes are used (no style attributes or <style>), which a strict
Content-Security-Policy allows. Each chart gets its own id prefix: patterns of two charts on one
page never collide.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="Times New Roman, serif"'

# (pattern body or None, fill when no pattern): telling series apart without colour.
_FILLS = (
    (None, "#222"),
    ('<rect width="6" height="6" fill="#fff"/><path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#000" '
     'stroke-width="1.2"/>', None),
    (None, "#9a9a9a"),
    ('<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.2" fill="#000"/>', None),
    ('<rect width="6" height="6" fill="#fff"/><path d="M0,3 h6 M3,0 v6" stroke="#000" stroke-width="1"/>', None),
    (None, "#fff"),
    ('<rect width="6" height="6" fill="#fff"/><path d="M0,3 h6" stroke="#000" stroke-width="1.2"/>', None),
    (None, "#d4d4d4"),
)


def _defs(prefix: str) -> str:
    patterns = "".join(
        f'<pattern id="{prefix}-p{index}" width="6" height="6" patternUnits="userSpaceOnUse">{body}</pattern>'
        for index, (body, _fill) in enumerate(_FILLS) if body)
    return f"<defs>{patterns}</defs>"


def fill_of(prefix: str, index: int) -> str:
    body, fill = _FILLS[index % len(_FILLS)]
    return f"url(#{prefix}-p{index % len(_FILLS)})" if body else fill


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(prefix: str, title: str, width: int, height: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{prefix}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{prefix}-title">'
            f'<title id="{prefix}-title">{escape(title)}</title>{_defs(prefix)}')


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    fill: int = 0  # index into the patterns


def bar_chart(*, chart_id: str, title: str, bars: list[Bar], suffix: str = "") -> SafeString:
    """Horizontal bars, one per row: label on the left, the number at the bar's end."""
    label_width, bar_width, row, top = 270, 300, 26, 6
    width, height = label_width + bar_width + 70, top * 2 + row * max(1, len(bars))
    biggest = max([bar.value for bar in bars] + [1])
    parts = [_open(chart_id, title, width, height)]
    for index, bar in enumerate(bars):
        y = top + index * row
        length = round(bar_width * bar.value / biggest)
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{bar.value}"><title>{escape(bar.label)}: '
            f'{bar.value}{escape(suffix)}</title>'
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" {FONT}>'
            f'{escape(_short(bar.label, 40))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1)}" height="{row - 8}" '
            f'fill="{fill_of(chart_id, bar.fill)}" stroke="#000" stroke-width="1"/>'
            f'<text x="{label_width + length + 6}" y="{y + 17}" font-size="13" font-weight="bold" {FONT}>'
            f'{bar.value}{escape(suffix)}</text></g>')
    parts.append(f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - top}" stroke="#000"/></svg>')
    return mark_safe("".join(parts))


def rate_chart(*, chart_id: str, title: str, part: int, whole: int, caption: str) -> SafeString:
    """A 100% bar: the share done on time hatched dark, the rest white, with the percent and the counts."""
    width, bar_width, height = 640, 360, 44
    share = part / whole if whole else 0
    filled = round(bar_width * share)
    percent = f"{round(100 * share)}%" if whole else "—"
    return mark_safe(
        f'{_open(chart_id, title, width, height)}'
        f'<rect x="0" y="6" width="{bar_width}" height="26" fill="#fff" stroke="#000"/>'
        f'<rect x="0" y="6" width="{filled}" height="26" fill="{fill_of(chart_id, 1)}" stroke="#000"/>'
        f'<text x="{bar_width + 10}" y="25" font-size="18" font-weight="bold" {FONT}>{percent}</text>'
        f'<text x="{bar_width + 70}" y="25" font-size="12" {FONT}>{escape(caption)}</text></svg>')


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    fill: int


def column_chart(*, chart_id: str, title: str, categories: list[str], series: list[Series]) -> SafeString:
    """Grouped columns per category (a month), a legend of patterns, the number on top of each column."""
    left, top, bottom, group_width = 8, 34, 26, 64
    plot_height = 150
    width = left * 2 + group_width * max(1, len(categories))
    height = top + plot_height + bottom
    biggest = max([value for s in series for value in s.values] + [1])
    bar = (group_width - 12) // max(1, len(series))
    parts = [_open(chart_id, title, width, height)]
    x = left
    for s in series:  # the legend
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{fill_of(chart_id, s.fill)}" stroke="#000"/>'
                     f'<text x="{x + 20}" y="18" font-size="12" {FONT}>{escape(s.name)}</text>')
        x += 30 + 7 * len(s.name)
    base = top + plot_height
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#000"/>')
    for c, category in enumerate(categories):
        gx = left + c * group_width + 6
        for k, s in enumerate(series):
            value = s.values[c]
            h = round(plot_height * value / biggest)
            bx = gx + k * bar
            parts.append(
                f'<g class="column" data-series="{escape(s.name)}" data-category="{escape(category)}" '
                f'data-value="{value}"><title>{escape(s.name)}, {escape(category)}: {value}</title>'
                f'<rect x="{bx}" y="{base - h}" width="{bar - 2}" height="{h}" fill="{fill_of(chart_id, s.fill)}" '
                f'stroke="#000" stroke-width="1"/>'
                + (f'<text x="{bx + (bar - 2) / 2}" y="{base - h - 3}" text-anchor="middle" font-size="10" {FONT}>'
                   f'{value}</text>' if value else "") + "</g>")
        parts.append(f'<text x="{gx + (group_width - 12) / 2}" y="{base + 16}" text-anchor="middle" font-size="11" '
                     f'{FONT}>{escape(category)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def figures_charts(*, figures, prefix: str) -> dict[str, SafeString]:
    """The charts every dashboard shows, from its dashboards.selectors.Figures."""
    from django.utils.translation import gettext as _

    on_time = figures.totals.on_time
    return {
        "by_status": bar_chart(chart_id=f"{prefix}-status", title=_("Occurrences by status"),
                               bars=[Bar(label=s.label, value=s.count, fill=i) for i, s in enumerate(figures.by_status)]),
        "on_time": rate_chart(chart_id=f"{prefix}-ontime", title=_("On-time rate"), part=on_time.on_time,
                              whole=on_time.came_due,
                              caption=_("%(on_time)s of %(came_due)s done on time") % {
                                  "on_time": on_time.on_time, "came_due": on_time.came_due}),
        "by_rung": bar_chart(chart_id=f"{prefix}-rung", title=_("Overdue by escalation rung"),
                             bars=[Bar(label=b.label, value=b.count, fill=i + 1)
                                   for i, b in enumerate(figures.overdue_by_rung)]),
        "trend": column_chart(chart_id=f"{prefix}-trend", title=_("The last 12 months"),
                              categories=[f"{p.month:02d}/{p.year % 100:02d}" for p in figures.trend],
                              series=[Series(_("Came due"), [p.came_due for p in figures.trend], 5),
                                      Series(_("Done on time"), [p.done_on_time for p in figures.trend], 0),
                                      Series(_("Done late"), [p.done_late for p in figures.trend], 1)]),
    }


def commune_charts(*, units, indicators) -> dict[str, SafeString]:
    """The commune dashboard's own charts: overdue work per unit, indicators per status."""
    from django.utils.translation import gettext as _

    late = [Bar(label=line.name, value=line.overdue, fill=1) for line in units if line.overdue]
    return {
        "by_unit": bar_chart(chart_id="commune-units", title=_("Overdue by unit"), bars=late) if late else "",
        "indicators": bar_chart(chart_id="commune-indicators", title=_("Indicators by status"),
                                bars=[Bar(label=s.label, value=s.count, fill=i) for i, s in enumerate(indicators)]),
    }

"""Bar charts as SVG geometry for server-rendered templates (pure: no Django). One bar per
row with its label above it, its value beside it, and a 95% range as a line where given;
mirrored for right-to-left languages. Every chart is printed with a table of the same
figures behind it, so the picture never carries information alone."""

from dataclasses import dataclass

WIDTH = 320  # viewBox units; the SVG scales to its container, ~1 unit per CSS pixel on phones
ROW = 34  # height of one row: label line, then bar
LABEL = 13  # label font size
BAR = 12
VALUE_ROOM = 44  # space kept for the value after the longest bar
PAD = 2


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # 0..1; None: hidden (too few answers)
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class DrawnBar:
    label: str
    value: str  # "42%", or "–" when hidden
    label_x: float
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    value_x: float
    value_y: float
    range_x1: float | None
    range_x2: float | None
    range_y: float


@dataclass(frozen=True)
class Chart:
    height: int
    anchor: str  # text-anchor for labels and values: "start" (ltr) or "end" (rtl)
    bars: list[DrawnBar]


def bar_chart(bars: list[Bar], *, rtl: bool = False) -> Chart:
    """Geometry for horizontal bars scaled to 100% (shares are printed, so the scale is
    the same in every chart of a page and comparable across them)."""
    span = WIDTH - VALUE_ROOM - 2 * PAD
    drawn = [_bar(index, bar, span, rtl) for index, bar in enumerate(bars)]
    return Chart(
        height=len(bars) * ROW + PAD,
        anchor="end" if rtl else "start",
        bars=drawn,
    )


def _bar(index: int, bar: Bar, span: float, rtl: bool) -> DrawnBar:
    top = index * ROW + PAD
    length = round(span * (bar.share or 0.0), 1)

    def x(offset: float) -> float:  # distance from the start edge -> coordinate
        return round(WIDTH - PAD - offset if rtl else PAD + offset, 1)

    has_range = bar.low is not None and bar.high is not None
    end = max(length, span * (bar.high or 0.0)) if has_range else length
    return DrawnBar(
        label=bar.label,
        value="–" if bar.share is None else f"{round(100 * bar.share)}%",
        label_x=x(0),
        label_y=top + LABEL,
        bar_x=x(length) if rtl else x(0),
        bar_y=top + LABEL + 4,
        bar_width=length,
        value_x=x(end + 4),
        value_y=top + LABEL + 4 + BAR - 2,
        range_x1=x(span * (bar.low or 0.0)) if has_range else None,
        range_x2=x(span * (bar.high or 0.0)) if has_range else None,
        range_y=top + LABEL + 4 + BAR / 2,
    )

"""Bar charts as plain SVG geometry: the template draws them, no JavaScript.

A chart is drawn from the same protected cells as the table beside it, so it
never shows more than the table: a hidden total has no bar, only its label.
"""

from dataclasses import dataclass

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
PLOT_WIDTH = 330
VALUE_WIDTH = 60


@dataclass
class Bar:
    label: str
    shown: str
    width: int
    y: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 6

    @property
    def text_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def width(self) -> int:
        return LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH


def bars(items: list[tuple[str, int | None, str]]) -> Chart:
    """(label, value or None when hidden, text shown) -> a horizontal bar chart."""
    largest = max((value for _label, value, _shown in items if value), default=0)
    result = []
    for n, (label, value, shown) in enumerate(items):
        width = round(PLOT_WIDTH * value / largest) if value and largest else 0
        result.append(Bar(label=label, shown=shown, width=width, y=n * (BAR_HEIGHT + GAP)))
    return Chart(bars=result, height=max(1, len(items)) * (BAR_HEIGHT + GAP))

"""Every PDF the site makes goes through here.

WeasyPrint fetches whatever a document points at, file:// included. Our
templates point at nothing, but the fetcher makes that a rule: data: URLs
only, anything else is refused.

The fonts and the documents' stylesheets are loaded once per worker, not per
document: one `FontConfiguration` (Fontconfig's font set and Pango's font
map, with the glyph and metrics caches that fill as documents are made), and
each stylesheet parsed once into a `weasyprint.CSS` with it. A document names
its stylesheets (templates such as "stats/pdf.css", static text) and keeps in
its own <style> only what changes from one document to the next. Both are
per thread, since Pango's font map is not made to be shared between threads;
a worker process that renders in one thread loads them once.
"""

import threading

import weasyprint
from django.template.loader import get_template
from django.utils.html import format_html
from weasyprint.text.fonts import FontConfiguration


def refuse_fetching(url: str, *args, **kwargs):
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError("PDF rendering fetches no URLs")


class _Loaded(threading.local):
    def __init__(self):
        self.fonts: FontConfiguration | None = None
        self.stylesheets: dict[str, weasyprint.CSS] = {}


_loaded = _Loaded()


def fonts() -> FontConfiguration:
    """This thread's font configuration, made on first use."""
    if _loaded.fonts is None:
        _loaded.fonts = FontConfiguration()
    return _loaded.fonts


def stylesheet(name: str) -> weasyprint.CSS:
    """The stylesheet template `name`, parsed on first use."""
    found = _loaded.stylesheets.get(name)
    if found is None:
        css = get_template(name).render()
        found = weasyprint.CSS(string=css, font_config=fonts(), url_fetcher=refuse_fetching)
        _loaded.stylesheets[name] = found
    return found


def render(html: str, *, stylesheets: tuple[str, ...] = (), **options) -> bytes:
    document = weasyprint.HTML(string=html, url_fetcher=refuse_fetching)
    sheets = [stylesheet(name) for name in stylesheets]
    return document.write_pdf(stylesheets=sheets, font_config=fonts(), **options)


# -- columns ---------------------------------------------------------------------------
# WeasyPrint balances CSS columns (`columns: 2`) by laying their whole content out again and
# again, a pixel or a block taller each time: 20 s for the statistics one-pager's tables on a
# busy machine. Where the blocks never break across columns (break-inside: avoid) and fit on
# the page, balancing is only choosing the block the second column starts with.
# `render_in_two_columns` chooses it as WeasyPrint does, from the blocks' heights: it lays the
# page out once with a split guessed from estimated heights, reads the real heights from that
# layout, and lays it out a second time only when they call for another split.


def split_in_two(heights: list[float]) -> int:
    """How many blocks go in the first of two columns, as CSS balances them: the lowest
    column height that holds them all, the first column filled up to it."""
    tops = [sum(heights[:n]) for n in range(len(heights) + 1)]
    lowest = min(max(top, tops[-1] - top) for top in tops)
    return max(n for n, top in enumerate(tops) if top <= lowest + 0.5)  # half a pixel for rounding


def _marked(blocks: list[str], split: int) -> list[list[str]]:
    """The blocks (rendered templates: safe HTML) in their columns, a mark before each and at
    the end of each column."""
    marks = [format_html('<div id="block-{}"></div>{}', n, block) for n, block in enumerate(blocks)]
    ends = [format_html('<div id="column-end-{}"></div>', n) for n in range(2)]
    return [[*marks[:split], ends[0]], [*marks[split:], ends[1]]]


def _measured(document, count: int, split: int) -> list[float] | None:
    """The blocks' heights (CSS px, with the margin before each) in a laid-out page; None
    when a mark is missing (the columns ran over the page)."""
    anchors = document.pages[0].anchors if len(document.pages) == 1 else {}
    names = [f"block-{n}" for n in range(count)]
    names = [*names[:split], "column-end-0", *names[split:], "column-end-1"]
    if not all(name in anchors for name in names):
        return None
    tops = [anchors[name][1] for name in names]
    first, second = tops[: split + 1], tops[split + 1 :]
    return [b - a for a, b in zip(first, first[1:], strict=False)] + [
        b - a for a, b in zip(second, second[1:], strict=False)
    ]


def render_in_two_columns(
    page, blocks: list[str], *, estimate: list[float], stylesheets: tuple[str, ...] = (), **options
) -> bytes:
    """The PDF of `page(columns)`, the HTML of a page that sets `columns` (two lists of HTML
    blocks) side by side, with `blocks` balanced between them. `estimate`: the blocks'
    heights in any unit (table rows, say), for the first guess."""
    sheets = [stylesheet(name) for name in stylesheets]

    def laid_out(split: int):
        html = page(_marked(blocks, split))
        return weasyprint.HTML(string=html, url_fetcher=refuse_fetching).render(stylesheets=sheets, font_config=fonts())

    split = split_in_two(estimate)
    document = laid_out(split)
    heights = _measured(document, len(blocks), split)
    if heights is not None and split_in_two(heights) != split:
        document = laid_out(split_in_two(heights))
    return document.write_pdf(**options)

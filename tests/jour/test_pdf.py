"""jour/pdf.py: fonts and stylesheets loaded once per worker, and two columns balanced
without WeasyPrint's CSS column balancing."""

import pytest
import weasyprint

from jour import pdf

PAGE = "<!doctype html><html><body><p>{}</p></body></html>"


@pytest.fixture
def fresh(monkeypatch):
    """A worker that has rendered nothing yet, counting what it builds."""
    monkeypatch.setattr(pdf, "_loaded", pdf._Loaded())
    built = {"fonts": 0, "css": 0, "layouts": 0}

    def counting(key, make):
        def wrapped(*args, **kwargs):
            built[key] += 1
            return make(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(pdf, "FontConfiguration", counting("fonts", pdf.FontConfiguration))
    monkeypatch.setattr(weasyprint, "CSS", counting("css", weasyprint.CSS))
    monkeypatch.setattr(weasyprint.HTML, "render", counting("layouts", weasyprint.HTML.render))
    return built


def test_fonts_and_each_stylesheet_are_built_once_across_documents(fresh):
    first = pdf.render(PAGE.format("Ett"), stylesheets=("stats/pdf.css",))
    second = pdf.render(PAGE.format("Två"), stylesheets=("stats/pdf.css",))
    third = pdf.render(PAGE.format("Tre"), stylesheets=("stats/pdf.css", "cases/seeker_data_pdf.css"))
    assert all(document.startswith(b"%PDF-") for document in (first, second, third))
    assert fresh["fonts"] == 1
    assert fresh["css"] == 2  # one per stylesheet, whatever the number of documents
    assert pdf.fonts() is pdf.fonts()


def test_the_fetcher_still_refuses_urls():
    with pytest.raises(ValueError):
        pdf.refuse_fetching("file:///etc/passwd")


@pytest.mark.parametrize(
    ("heights", "first"),
    [
        ([5, 5, 5, 5], 2),
        ([10, 1, 10], 2),  # the lowest height that holds them all is 11: 10 + 1 fit in it
        ([30, 1, 1], 1),
        ([1, 1, 1, 30], 3),
        ([7], 1),
    ],
)
def test_two_columns_split_where_css_balances_them(heights, first):
    assert pdf.split_in_two(heights) == first


def _page(columns) -> str:
    cells = "".join(f'<div class="col">{"".join(blocks)}</div>' for blocks in columns)
    return f'<!doctype html><html><body><div class="split">{cells}</div></body></html>'


BLOCKS = [f"<section><h2>Del {n}</h2><p>a</p><p>b</p><p>c</p></section>" for n in range(4)]


def test_a_right_guess_lays_the_page_out_once(fresh, monkeypatch):
    splits = []
    marked = pdf._marked
    monkeypatch.setattr(pdf, "_marked", lambda blocks, split: splits.append(split) or marked(blocks, split))
    document = pdf.render_in_two_columns(_page, BLOCKS, estimate=[1, 1, 1, 1], stylesheets=("stats/pdf.css",))
    assert document.startswith(b"%PDF-")
    assert splits == [2]
    assert fresh["layouts"] == 1


def test_a_wrong_guess_is_corrected_from_the_measured_heights(fresh, monkeypatch):
    splits = []
    marked = pdf._marked
    monkeypatch.setattr(pdf, "_marked", lambda blocks, split: splits.append(split) or marked(blocks, split))
    pdf.render_in_two_columns(_page, BLOCKS, estimate=[100, 1, 1, 1], stylesheets=("stats/pdf.css",))
    assert splits == [1, 2]  # guessed one block in the first column; the equal blocks measured say two
    assert fresh["layouts"] == 2

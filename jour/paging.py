"""Pages of a long list that count only as far as anyone reads.

Counting every match of a filter costs as much as reading them: at the federation's
scale a filter matching 50,000 cases spent more time counting than showing a page of
50. Nobody pages through a thousand rows, so the count stops a little past them: a list
says "more than 1,000" and a pager "page 3 of more than 20", and a narrower filter gives
the exact number.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator whose ``count`` reads at most ``cap`` rows, or to the page after the one
    asked for (``asked``, the raw page parameter) if that is further; ``more`` tells whether
    there are rows beyond what was counted."""

    def __init__(self, object_list, per_page, *, asked=None, cap: int | None = None):
        super().__init__(object_list, per_page)
        cap = CAP if cap is None else cap
        try:
            number = max(int(asked), 1)
        except (TypeError, ValueError):
            number = 1
        # The page after the asked one is always counted: its "next" link must show.
        self.counted_to = max(cap, (number + 1) * per_page)

    @cached_property
    def _found(self) -> int:
        # Without the order, the database stops at the limit instead of sorting every match.
        return self.object_list.order_by()[: self.counted_to + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.counted_to)

    @property
    def more(self) -> bool:
        return self._found > self.counted_to

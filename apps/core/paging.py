"""A list that is read one page at a time, for django.core.paginator (and CappedPaginator).

Lists computed by hand-written SQL (apps.reports.listing, apps.supervision.candidates) cannot be
iterated whole or sliced without an end: that is what they exist to avoid. They implement
`rows(start, size)` and `capped_count(cap)`; this class gives them the slicing the paginator uses.
"""


class PagedRows:
    def rows(self, start: int, size: int) -> list:
        raise NotImplementedError

    def capped_count(self, cap: int) -> int:
        """The number of rows if at most `cap`, else cap + 1."""
        raise NotImplementedError

    def __getitem__(self, index):
        if isinstance(index, int) and index >= 0:
            return self[index : index + 1][0]
        if not isinstance(index, slice) or index.step not in (None, 1) or index.stop is None:
            raise TypeError(f"{type(self).__name__} takes bounded slices only")
        start = index.start or 0
        if start < 0 or index.stop < 0:
            raise ValueError(f"{type(self).__name__} takes no negative indexes")
        return self.rows(start, index.stop - start) if index.stop > start else []

    def __iter__(self):
        raise TypeError(f"{type(self).__name__} is read a page at a time: slice it")

"""PagedRows: the slicing a paginator uses, and nothing that would read the whole list."""

import pytest

from apps.core.paging import PagedRows


class Numbers(PagedRows):
    def __init__(self, n):
        self.n = n
        self.asked = []

    def rows(self, start, size):
        self.asked.append((start, size))
        return list(range(self.n))[start : start + size]


def test_bounded_slices_ask_for_exactly_that_page():
    numbers = Numbers(10)
    assert numbers[2:5] == [2, 3, 4] and numbers.asked == [(2, 3)]
    assert numbers[8:20] == [8, 9]
    assert numbers[:3] == [0, 1, 2]
    assert numbers[4] == 4


def test_empty_slices_ask_for_nothing():
    numbers = Numbers(10)
    assert numbers[3:3] == [] and numbers[5:2] == [] and numbers.asked == []


def test_past_the_end_index_is_an_index_error():
    with pytest.raises(IndexError):
        Numbers(3)[3]


@pytest.mark.parametrize(
    "index, error",
    [(slice(2, None), TypeError), (slice(0, 6, 2), TypeError), (-1, TypeError), (slice(-2, 3), ValueError)],
)
def test_unbounded_stepped_or_negative_indexes_are_refused(index, error):
    with pytest.raises(error):
        Numbers(10)[index]


def test_it_cannot_be_iterated_whole():
    with pytest.raises(TypeError):
        list(Numbers(10))

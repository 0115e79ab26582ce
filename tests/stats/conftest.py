import pytest

from .dataset import build


@pytest.fixture
def world(people):
    """The hand-built year 2026 (tests/stats/dataset.py) in the database."""
    return build(people)

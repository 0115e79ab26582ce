import pytest

from .personas import build_personas


@pytest.fixture
def people(db):
    return build_personas()

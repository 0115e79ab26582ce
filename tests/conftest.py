import os

import pytest
from hypothesis import settings as hypothesis_settings

from .personas import build_personas

# CI runs the property and fuzz tests on fixed examples, so that a run can be
# repeated exactly; locally they explore new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def people(db):
    return build_personas()

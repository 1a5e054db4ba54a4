"""Fixtures of the web tests."""

from __future__ import annotations

import pytest

from app.cases.people.users import create_user
from tests.helpers import fresh_context_client
from tests.web.workbench_helpers import PASSWORD, sign_in


@pytest.fixture
def owner(app, staff, deployed):
    """A test client signed in as a process owner (po), with the shipped processes deployed; also a handler, worker."""
    client = fresh_context_client(app)
    create_user("po", ["owner"], password=PASSWORD, display_name="流程负责人")
    create_user("worker", ["handler"], "ENV", password=PASSWORD)
    sign_in(client, "po")
    return client

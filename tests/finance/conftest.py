"""Page tests here read the English source texts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.factories import PersonFactory, UserFactory
from wangge.people.groups import FINANCE


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """Pages are Chinese unless the language cookie says otherwise (DefaultLanguageMiddleware);
    a test of the default removes the cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def clerk(cast):
    """The finance clerk at the 洛龙街道 centre (a login in the finance group)."""
    user = UserFactory(username="finance")
    user.groups.add(Group.objects.get(name=FINANCE))
    PersonFactory(name="财务戊", center=cast.center, user=user)
    return user

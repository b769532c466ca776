"""Page tests here read the English source texts."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """Pages are Chinese unless the language cookie says otherwise (DefaultLanguageMiddleware);
    a test of the default removes the cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

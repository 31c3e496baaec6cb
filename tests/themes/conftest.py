"""The staff app fixture from the review tests, for the theme pages."""

from tests.review.conftest import env  # noqa: F401

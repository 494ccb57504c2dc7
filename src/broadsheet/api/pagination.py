"""Page-number pagination with bounds, so an absurd page number is a 422, not a database error."""

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import PageNumberPagination

# 10,000 pages of the largest size: far past any real list, well inside every database's range.
MAX_PAGE = 10_000


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            le=settings.PAGINATION_MAX_PER_PAGE_SIZE,
            description="Items per page.",
        )

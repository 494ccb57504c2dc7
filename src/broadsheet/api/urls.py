"""The JSON API: one router per domain, each calling the same service functions as the pages."""

from django.http import HttpRequest

from broadsheet.api import (
    accounts,
    appeals,
    comments,
    moderation,
    notifications,
    stories,
    subscriptions,
)
from broadsheet.api.errors import BroadsheetAPI, install_error_handlers

api = BroadsheetAPI(
    title="Broadsheet API",
    version="1",
    description="Stories, comment streams, the commenting gate and moderation, as JSON.",
    urls_namespace="api",
)
install_error_handlers(api)


@api.get("/health", tags=["operations"], summary="Is the API up?")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


api.add_router("/accounts", accounts.router)
api.add_router("/plans", subscriptions.router)
api.add_router("/stories", stories.router)
api.add_router("/comments", comments.router)
api.add_router("/moderation/appeals", appeals.appeals_router)
api.add_router("/moderation/notices", appeals.notices_router)
api.add_router("/moderation", moderation.router)
api.add_router("/notifications", notifications.router)

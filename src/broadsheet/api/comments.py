"""The comments API."""

from ninja import Router

router = Router(tags=["comments"])

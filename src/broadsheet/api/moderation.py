"""The moderation API."""

from ninja import Router

router = Router(tags=["moderation"])

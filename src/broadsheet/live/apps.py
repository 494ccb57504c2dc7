from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "broadsheet.live"
    label = "live"

    def ready(self) -> None:
        from broadsheet.live import broker
        from broadsheet.live.relay import relay

        broker.listen(relay)

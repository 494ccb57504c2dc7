from datetime import UTC, datetime

from broadsheet.embed.imports.records import ImportFileError


def parse_date(text: str, line: int, formats: tuple[str, ...]) -> datetime:
    """A UTC moment from the first format that fits, or an error naming the line."""
    for form in formats:
        try:
            moment = datetime.strptime(text, form)  # noqa: DTZ007 - the zone is set below
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    raise ImportFileError(line, f"{text!r} is not a date this export uses")

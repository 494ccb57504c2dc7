"""Domain errors raised by service functions and shown the same way by pages and the API."""


class ServiceError(Exception):
    """A refusal a user can understand: a code for programs, a message for people."""

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status

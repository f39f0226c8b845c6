class ApplicationError(Exception):
    """A business rule refused the request; the message is written for the person asking."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

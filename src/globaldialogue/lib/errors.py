"""A write that is not allowed: a code for clients and a message for people."""


class Refused(Exception):
    """Raised by actions; views show `message` (translated where a participant sees it),
    APIs also send `code`. Nothing is stored when it is raised."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message

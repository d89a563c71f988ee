"""What a refused write or a rejected input tells its reader: a code for clients and a
message for people (translated where a participant sees it)."""

from dataclasses import dataclass


class Refused(Exception):
    """Raised by actions; views show `message`, APIs also send `code`. Nothing is stored
    when it is raised."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of an input (a survey answer, a file's column)."""

    code: str
    message: str


Errors = dict[str, list[FieldError]]  # field -> its problems; empty means valid

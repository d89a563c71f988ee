"""The back office as a browser drives it, for the tests: read an admin page's form as the
browser would send it (disabled fields left out), so a test changes only what a person
types and sends the rest back."""

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a or (not a.get("name") and tag != "option"):
            return
        if tag == "input" and a.get("type") not in {"submit", "button", "file", "reset"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text).removeprefix("\n")  # browsers drop the first newline
            self.fields.append((self._textarea, text))
            self._textarea = None


def form_of(html: str, form_id: str) -> dict[str, Any]:
    """The fields the page's form would send: name -> value, or a list where repeated."""
    reader = _FormReader(form_id)
    reader.feed(html)
    sent: dict[str, Any] = {}
    for name, value in reader.fields:
        if name in sent:
            sent[name] = (
                [*sent[name], value] if isinstance(sent[name], list) else [sent[name], value]
            )
        else:
            sent[name] = value
    return sent

"""Secrets out of the logs. A personal link's token is the registrant's key to their page,
room and report: Django logs the path of every 4xx ("Not Found: /d/e/you/<token>/"), and
logs are read by more people than should hold those keys. A text channel's webhook address
is the only check on gateways that sign nothing (/messaging/<channel>/receive)."""

import logging
import re

SECRETS = re.compile(r"(/you/|/messaging/)[^/\s?#\"']+|((?:xid_sig|token|key)=)[^&\s\"']+")


def redact(text: str) -> str:
    return SECRETS.sub(lambda m: (m.group(1) or m.group(2)) + "[redacted]", text)


class RedactSecrets(logging.Filter):
    """On a handler: every record's message with tokens and signatures replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

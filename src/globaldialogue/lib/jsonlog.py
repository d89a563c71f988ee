"""Log lines as JSON, one per line, for log shippers: time, level, logger, message, the
request id (lib/requestlog.py) and any `extra={"fields": {...}}` the caller gave. Messages
pass the redaction filter (lib/logredact.py) first, so no personal link or token leaves."""

import json
import logging
from datetime import UTC, datetime

from globaldialogue.lib.requestlog import REQUEST_ID


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := REQUEST_ID.get():
            line["request_id"] = request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)

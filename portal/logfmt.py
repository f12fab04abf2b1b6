"""Log lines on stdout that a log collector parses without a pattern: `key=value`
pairs (logfmt, the default) or one JSON object per line (LOG_FORMAT=json)."""

import json
import logging
from datetime import UTC, datetime


def _fields(record, formatter):
    fields = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    status = getattr(record, "status_code", None)
    if status is not None:
        fields["status"] = status
    if record.exc_info:
        fields["exc"] = formatter.formatException(record.exc_info)
    return fields


def _logfmt_value(value):
    text = str(value)
    if text and not any(c in text for c in ' ="\n\t\\'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class KeyValueFormatter(logging.Formatter):
    def format(self, record):
        return " ".join(
            f"{key}={_logfmt_value(value)}" for key, value in _fields(record, self).items()
        )


class JSONFormatter(logging.Formatter):
    def format(self, record):
        return json.dumps(_fields(record, self), ensure_ascii=False, default=str)

"""A client's mistake is one line in the log, never a traceback: Django logs a refused request
(a SuspiciousOperation such as a bad Host header or an oversized body, or any 4xx) with the
exception attached; this filter drops the traceback and keeps the line. Server errors (5xx)
keep theirs."""
import logging


class NoClientTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.security") or (status is not None and 400 <= status < 500):
            record.exc_info = None
            record.exc_text = None
        return True

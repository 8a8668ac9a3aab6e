"""Log output that cannot carry patient data or link tokens.

Exception messages can hold the values that caused them (a database error quotes the
duplicate e-mail, a validation error the text typed), so tracebacks keep their frames and
the exception's type but not its message. Path segments that look like link tokens are
replaced, so a private link in a request log line cannot be reused, and data: URLs are cut.
"""

from __future__ import annotations

import logging
import re
import traceback

# A signed link token: long, URL-safe characters (see clinic/links/models.py).
TOKEN_SEGMENT = re.compile(r"/[A-Za-z0-9_\-:.]{24,}(?=/|$|\s|\?)")


# A data: URL: the PDF's drawings and charts travel as SVG in base64, and a chart's title
# names the patient's scores; WeasyPrint quotes the URL when an image fails to load.
DATA_URL = re.compile(r"data:[\w.+/-]*(;[\w=.+-]+)*,[A-Za-z0-9+/=%._-]*")


def redact(text: str) -> str:
    return DATA_URL.sub("data:…", TOKEN_SEGMENT.sub("/…", text))


class RedactingFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return redact(super().formatMessage(record))

    def formatException(self, ei) -> str:
        exc_type, exc, tb = ei
        frames = "".join(traceback.format_tb(tb))
        name = exc_type.__qualname__ if exc_type else "Exception"
        return f"Traceback (most recent call last):\n{frames}{name} (message withheld)"

"""Log filters. A calendar feed's URL is its only key, so it never reaches a log."""

import logging
import re

FEED_PATH = re.compile(r"(/calendar/feed/)[^\s\"'?]+")


class RedactFeedTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/calendar/feed/" in message:
            record.msg = FEED_PATH.sub(r"\1[redacted]", message)
            record.args = ()
        return True

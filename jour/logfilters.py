"""Log filters. A calendar feed's URL and an invitation link are their own keys,
so neither reaches a log: Django writes the path of every refused request
("Gone: /accounts/invitation/<token>/", "Not Found: /calendar/feed/<token>.ics"),
and runserver writes every request line."""

import logging
import re

# The token is the path segment after the prefix; a feed's ".ics" and what follows go with it.
FEED_PATH = re.compile(r"(/calendar/feed/)[^\s\"'?]+")
INVITATION_PATH = re.compile(r"(/accounts/invitation/)[^\s\"'?/]+")
PATTERNS = (("/calendar/feed/", FEED_PATH), ("/accounts/invitation/", INVITATION_PATH))


class RedactTokens(logging.Filter):
    """Replaces the token in a feed or invitation path with [redacted]; drops nothing.
    Put it on every handler: a filter on a logger does not see its children's records."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record is for logging's own error handling
        redacted = message
        for prefix, pattern in PATTERNS:
            if prefix in redacted:
                redacted = pattern.sub(r"\1[redacted]", redacted)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


# The name of the first version, which knew feeds only.
RedactFeedTokens = RedactTokens

"""Signals members sends, for apps above it to act on (their AppConfig.ready connects)."""

from django.dispatch import Signal

# Sent by erase_person before anything is erased, with `person`. A receiver
# that must keep a record naming the person raises ValidationError, which
# refuses the erasure with its message.
erasure_requested = Signal()

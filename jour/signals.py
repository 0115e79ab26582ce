"""Signals the ground floor sends, for apps above it to act on.

The ground floor cannot import the apps that build on it; when an account
action must reach one of them, it sends a signal the app connects to when it
loads (its AppConfig.ready), and the action's docstring says so.
"""

from django.dispatch import Signal

# Sent inside deactivate_user's transaction, with `user`.
account_deactivated = Signal()

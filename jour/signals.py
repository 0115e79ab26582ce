"""Signals the ground floor sends, for apps above it to act on.

The ground floor cannot import the apps that build on it; when an account
action must reach one of them, it sends a signal the app connects to when it
loads (its AppConfig.ready), and the action's docstring says so.
"""

from django.dispatch import Signal

# Sent inside deactivate_user's transaction, with `user`.
account_deactivated = Signal()

# Sent inside accept_invitation's transaction when the invitation made a new
# account (not for a reset), with `user` and `invitation`: members links the
# account to the person the invitation was for. A receiver that refuses raises
# InvitationError, which refuses the acceptance with its message.
account_created = Signal()

# Sent inside reactivate_user's transaction, before the account is active
# again, with `user`: members refuses (ValidationError with its reasons) when
# the account's person no longer meets the access rule.
account_reactivating = Signal()

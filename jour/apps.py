from django.apps import AppConfig


class JourConfig(AppConfig):
    name = "jour"
    verbose_name = "jour"

    def ready(self):
        # Imported here: models, and what uses them, load only once the app registry is ready.
        from auditlog.registry import auditlog

        from .models import Invitation, User

        # Personal-data fields are masked entirely in the stored changes.
        auditlog.register(
            User,
            exclude_fields=["password", "last_login", "session_epoch"],
            mask_fields=["email", "name"],
        )
        auditlog.register(Invitation, exclude_fields=["token_hash"], mask_fields=["email", "name"])

        # "Last login" counts from the second factor, not the password step.
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from .otp import last_login_with_second_factor

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(last_login_with_second_factor, dispatch_uid="jour.last_login_with_second_factor")

        # A lock of a whole account is recorded and told to the coordinators.
        from axes.signals import user_locked_out

        from .lockout_notice import account_locked

        user_locked_out.connect(account_locked, dispatch_uid="jour.lockout_notice.account_locked")

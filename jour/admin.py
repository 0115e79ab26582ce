from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Invitation, User

# The admin asks for a verified second factor as well as is_staff: without this,
# a staff password alone would open it.
admin.site.__class__ = OTPAdminSite


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["name"]
    list_display = ["email", "name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "name", "role", "password"]}),
        ("Status", {"fields": ["is_active", "deactivated_at", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "role", "password1", "password2"]})]
    readonly_fields = ["last_login", "date_joined", "deactivated_at"]
    filter_horizontal = []


# django-otp's own TOTP admin shows every user's key (on the change page and as a QR
# code); whoever reads a key can make that user's codes forever. Ours shows who has a
# device and lets one be deleted (a lost phone; the user enrols again at the next
# login), and nothing more. Backup codes (BackupCodeDevice, BackupCode) are not in
# the admin at all: the user replaces their own on the backup-codes page.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Look and delete; never add or change: a device with a key the admin chose
    would be a way around the second factor. No field holds the key."""

    list_display = ["pk", "user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__email"]
    fields = [
        "user",
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
        "throttling_failure_timestamp",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").defer("key")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["pk", "role", "created_at", "sent_at", "used_at", "revoked_at"]
    readonly_fields = ["token_hash", "sent_at", "expires_at", "used_at"]
    exclude = []

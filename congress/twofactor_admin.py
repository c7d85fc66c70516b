"""Console page of the authenticators (two-factor sign-in): who has one, when it was last used, and the one thing
staff do with them, reset one after a lost phone. It replaces django-otp's own page, which shows the secret keys
and lets them be edited."""

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor, twofactor_sms
from .admin_history import StaffReadOnlyAdmin
from .models import Authenticator, SmsAuthenticator

# django-otp's own pages show and edit secrets; backup codes are made by their owner and removed by a reset only.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Authenticator)
class AuthenticatorAdmin(StaffReadOnlyAdmin):
    list_display = ["user", "enrolled", "added", "last_used"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user"]
    actions = ["reset_two_factor"]
    fields = ["user", "enrolled", "added", "last_used"]
    readonly_fields = fields

    # django-otp's field names are English literals: the columns are labelled here.
    @admin.display(description=_("enrolled"), boolean=True, ordering="confirmed")
    def enrolled(self, obj):
        return obj.confirmed

    # As a date in local time, and "—" for never (a read-only page would show the raw value: None, +00:00).
    @admin.display(description=_("added"), ordering="created_at")
    def added(self, obj):
        return display_for_value(obj.created_at, "—")

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj):
        return display_for_value(obj.last_used_at, "—")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=twofactor.resettable_users(request.user))

    @admin.action(description=_("Reset two-factor sign-in (lost phone): they set it up again at next login"))
    def reset_two_factor(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            twofactor.reset(actor=request.user, user=user)
        message = ngettext(
            "Two-factor sign-in reset for %(count)d user.", "Two-factor sign-in reset for %(count)d users.", len(users)
        ) % {"count": len(users)}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(SmsAuthenticator)
class SmsAuthenticatorAdmin(AuthenticatorAdmin):
    """Phones that receive sign-in codes by text message: shown masked, and reset like the authenticators."""

    list_display = ["user", "masked_phone", "enrolled", "added", "last_used"]
    fields = ["user", "masked_phone", "enrolled", "added", "last_used"]
    readonly_fields = fields

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return twofactor_sms.mask(obj.phone)

"""The staff console: thin admin classes over congress.scope and congress.services."""

import contextlib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import (
    admin_jobs,  # noqa: F401 - registers the background jobs' pages
    deadlines,
    documents,
    personal_data,
    policies,
    scope,
    services,
    softdelete,
    webhooks,
)
from .admin_actions import ExportActionMixin
from .admin_filters import OverdueFilter
from .admin_history import AuditHistoryMixin
from .errors import DomainError
from .models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    Congress,
    Deadline,
    DocumentTemplate,
    IssuedDocument,
    Organisation,
    PolicyValue,
    Region,
    RoleMembership,
    Session,
    Term,
    User,
    WebhookDelivery,
    WebhookEndpoint,
)


class ScopedAdmin(AuditHistoryMixin, ExportActionMixin, admin.ModelAdmin):
    """Lists only what congress.scope shows the user; saves through congress.services."""

    list_per_page = 50

    def get_queryset(self, request):
        return scope.visible(request.user, self.model, super().get_queryset(request))

    def has_module_permission(self, request):
        return scope.has_role(request.user, "staff")

    def has_view_permission(self, request, obj=None):
        return scope.has_role(request.user, "staff")

    def has_add_permission(self, request):
        return scope.has_role(request.user, "staff")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope.has_role(request.user, "staff")
        return self.write_action is not None and scope.can(request.user, self.write_action, obj)

    def has_delete_permission(self, request, obj=None):
        # Nothing is hard-deleted from the console: records end through their workflow, are deactivated, or
        # are archived (congress.softdelete).
        return False

    @property
    def write_action(self):
        from .rules import WRITE_ACTIONS

        # None for records that change only through their workflow (their admins are read-only).
        return WRITE_ACTIONS.get(self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the regions, congresses and bodies the user can see.
        related = db_field.remote_field.model
        with contextlib.suppress(LookupError):
            kwargs["queryset"] = scope.visible(request.user, related)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        action = self.write_action
        if action is None:
            return form_class

        class ScopedAdminForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                softdelete.offer_live_choices(self)

            def _post_clean(self):
                super()._post_clean()
                if not self.errors and not scope.can(request.user, action, self.instance):
                    self.add_error(None, _("This record lies outside what your congress may change."))

        return ScopedAdminForm

    def save_model(self, request, obj, form, change):
        try:
            services.save_reference(actor=request.user, obj=obj)
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "division_code", "level", "parent"]
    list_select_related = ["parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]


@admin.register(Congress)
class CongressAdmin(ScopedAdmin):
    list_display = ["name", "level", "region"]
    list_filter = ["level"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]
    readonly_fields = ["level", "effective_policies"]

    @admin.display(description=_("Effective policies"))
    def effective_policies(self, obj):
        from django.utils.html import format_html_join

        rows = policies.effective(obj) if obj.pk else []
        return format_html_join(
            "",
            "<div>{} <b>{}</b> {}{}</div>",
            (
                (row["label"], row["value"], policies.UNIT_LABELS[row["unit"]], " ✎" if row["overridden"] else "")
                for row in rows
            ),
        )


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["number", "start_date", "end_date"]

    def has_add_permission(self, request, obj=None):
        return obj is not None and scope.can(request.user, "congress.change_own", obj)

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    list_display = ["__str__", "congress", "number", "start_date", "end_date"]
    list_filter = ["congress__level"]
    search_fields = ["congress__name"]
    autocomplete_fields = ["congress"]
    inlines = [SessionInline]

    def save_formset(self, request, form, formset, change):
        # Each session goes through the same service as the session form and the API.
        instances = formset.save(commit=False)
        for instance in instances:
            try:
                services.save_reference(actor=request.user, obj=instance)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
                raise
        formset.save_m2m()


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    list_display = ["__str__", "term", "start_date", "end_date"]
    list_filter = ["term__congress__level"]
    search_fields = ["term__congress__name"]
    autocomplete_fields = ["term"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "unit_category", "region", "congress", "is_active"]
    list_select_related = ["region", "congress"]
    list_filter = ["kind", "unit_category", "is_active", "region__level"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "congress", "parent"]
    raw_id_fields = ["head"]


class PolicyValueForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("policy"), choices=[(p.key, f"{p.label} ({p.key})") for p in policies.DEFINITIONS])

    class Meta:
        model = PolicyValue
        fields = ["congress", "key", "value", "note"]


@admin.register(PolicyValue)
class PolicyValueAdmin(ScopedAdmin):
    form = PolicyValueForm
    list_display = ["congress", "key", "label", "value", "unit", "default"]
    list_filter = ["key"]
    search_fields = ["congress__name", "key"]
    autocomplete_fields = ["congress"]

    @admin.display(description=_("policy"))
    def label(self, obj):
        return policies.REGISTRY[obj.key].label if obj.key in policies.REGISTRY else obj.key

    @admin.display(description=_("unit"))
    def unit(self, obj):
        return policies.UNIT_LABELS[policies.REGISTRY[obj.key].unit] if obj.key in policies.REGISTRY else ""

    @admin.display(description=_("default"))
    def default(self, obj):
        return policies.REGISTRY[obj.key].default_for(obj.congress.level) if obj.key in policies.REGISTRY else ""


class DocumentTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("document"), choices=[(k.code, k.label) for k in documents.KINDS.values()])

    class Meta:
        model = DocumentTemplate
        fields = ["congress", "kind", "issuer", "number_prefix", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            if not upload.name.lower().endswith(".docx"):
                raise forms.ValidationError(_("Upload a Word document (.docx)."))
            data = upload.read()
            upload.seek(0)
            try:
                documents.check_template(data)
            except ValueError as exc:
                raise forms.ValidationError(_("This .docx cannot be filled in: %(error)s") % {"error": exc}) from exc
        return upload


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ScopedAdmin):
    """Each congress's wording of the issuing body and number prefix, and optionally its own template, per kind
    of document; the default layout is congress/document_templates/, whose placeholders an own template keeps."""

    form = DocumentTemplateForm
    list_display = ["congress", "kind_label", "issuer", "number_prefix", "file", "uploaded_by", "updated_at"]
    list_select_related = ["congress", "uploaded_by"]
    autocomplete_fields = ["congress"]
    readonly_fields = ["uploaded_by"]

    @admin.display(description=_("document"))
    def kind_label(self, obj):
        kind = documents.KINDS.get(obj.kind)
        return kind.label if kind else obj.kind

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ScopedAdmin):
    """The register of numbered documents: read only, as numbers are given by the documents themselves."""

    list_display = ["number", "title", "kind", "congress", "issued_by", "created_at"]
    list_select_related = ["congress", "issued_by"]
    list_filter = ["year", "kind"]
    search_fields = ["number", "title"]

    def has_add_permission(self, request):
        return False


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    fk_name = "user"
    extra = 0
    fields = ["role", "congress", "organisation"]
    autocomplete_fields = ["congress", "organisation"]


@admin.register(User)
class UserAdmin(AuditHistoryMixin, BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("name", "email", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "name", "email", "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    inlines = [RoleMembershipInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Only administrators open user pages, and they see the phone in full: each look is on the record.
        if obj is not None and obj.phone:
            personal_data.seen(request.user, obj, "console")
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    has_view_permission = has_add_permission = has_change_permission = lambda self, request, obj=None: (
        request.user.is_superuser
    )

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted: the append-only audit log keeps who did what (its trigger
        # refuses the actor link being cleared).
        return False


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ["date", "is_workday", "name"]


class CalendarAdmin(AuditHistoryMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return scope.has_role(request.user, "staff")

    has_view_permission = lambda self, request, obj=None: scope.has_role(request.user, "staff")  # noqa: E731

    def has_add_permission(self, request):
        return scope.can(request.user, "congress.change_calendar", None)

    def has_change_permission(self, request, obj=None):
        return scope.can(request.user, "congress.change_calendar", obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a day entered wrongly is corrected (set as its weekday would be), not deleted


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdmin):
    list_display = ["year", "complete", "source", "updated_at"]
    actions = ["import_from_package"]

    def save_model(self, request, obj, form, change):
        services.save_calendar_year(actor=request.user, year=obj)

    @admin.action(description=_("Load the official schedule from the chinesecalendar package"))
    def import_from_package(self, request, queryset):
        try:
            loaded = services.import_calendar_years(actor=request.user, years=[y.year for y in queryset])
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return
        self.message_user(request, _("Loaded %(years)s.") % {"years": ", ".join(map(str, loaded))}, messages.SUCCESS)


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.save_calendar_day(actor=request.user, day=obj)


class DeadlineOverdueFilter(OverdueFilter):
    def overdue_q(self, model, today):
        return Q(met_at__isnull=True, cancelled_at__isnull=True, due_date__lt=today) & ~Q(
            kind__in=deadlines.WINDOW_KINDS
        )


class DeadlineKindFilter(admin.SimpleListFilter):
    """The kinds by their labels (答复群众意见), not their codes (opinion.referral)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(((kind, str(label)) for kind, label in deadlines.KIND_LABELS.items()), key=lambda kv: kv[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Deadline)
class DeadlineAdmin(ScopedAdmin):
    list_display = ["kind_label", "subject_repr", "responsible_org", "due_date", "provisional", "reminded_stage",
                    "met_at"]  # fmt: skip
    list_filter = [DeadlineKindFilter, DeadlineOverdueFilter, "provisional", "reminded_stage"]
    search_fields = ["responsible_org__name", "responsible_user__name"]
    date_hierarchy = "due_date"
    list_select_related = ["responsible_org", "content_type"]
    # The record's page names the kind and the subject too, never the content type and object id.
    fields = [
        "kind_label",
        "subject_repr",
        "congress",
        "responsible_org",
        "responsible_user",
        "start_date",
        "period_value",
        "period_unit",
        "due_date",
        "provisional",
        "reminded_stage",
        "met_at",
        "cancelled_at",
    ]
    readonly_fields = ["kind_label", "subject_repr"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(deadlines.subjects_prefetch())

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return deadlines.kind_label(obj.kind)

    @admin.display(description=_("subject"))
    def subject_repr(self, obj):
        label, link = deadlines.subject_label(obj), deadlines.subject_link(obj)
        return format_html('<a href="{}">{}</a>', link, label) if link else label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("You may not grant %(value)s: you do not hold its permissions.")},
    )
    # The person filling in the form (set by ApiClientAdmin.get_form): only the scopes they may grant are offered.
    grantor = None

    class Meta:
        model = ApiClient
        fields = ["name", "congress", "scopes", "allowed_ips", "rate_per_minute", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the grantor may grant, and on a client's page the scopes it holds already (they may be kept or
        # dropped by anyone who may change the client; services.change_api_client checks what is gained).
        congress = self.instance.congress if self.instance.pk else None
        offered = services.grantable_scopes(self.grantor, congress) | set(self.instance.scopes or [])
        self.fields["scopes"].choices = [(value, label) for value, label in services.api_scopes() if value in offered]

    def clean_allowed_ips(self):
        import ipaddress

        value = self.cleaned_data["allowed_ips"]
        for line in value.splitlines():
            if line.strip():
                try:
                    ipaddress.ip_network(line.strip(), strict=False)
                except ValueError as exc:
                    raise ValidationError(_("%(value)s is not an IP address or network.") % {"value": line}) from exc
        return value


class WebhookInline(admin.TabularInline):
    model = WebhookEndpoint
    fields = ["url", "events", "is_active", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdmin):
    """Integration clients: the token is shown once, on creation or rotation; only its hash is kept."""

    form = ApiClientForm
    list_display = ["name", "congress", "owner", "token_prefix", "scopes", "is_active", "last_used_at"]
    list_select_related = ["congress", "owner"]
    readonly_fields = ["owner", "token_prefix", "last_used_at", "user"]
    inlines = [WebhookInline]
    actions = ["rotate_token", "revoke"]

    def get_fields(self, request, obj=None):
        # A new client's owner is the person creating it (the token is shown to them), so the add page has no
        # owner field; rotating the token makes the rotating person the owner.
        fields = ["name", "congress", "scopes", "allowed_ips", "rate_per_minute"]
        return fields if obj is None else [*fields, "is_active", "owner", "token_prefix", "last_used_at", "user"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        return type(form_class.__name__, (form_class,), {"grantor": request.user})

    def get_readonly_fields(self, request, obj=None):
        # A client's data scope is its congress: another congress gets a client of its own.
        return self.readonly_fields if obj is None else [*self.readonly_fields, "congress"]

    def save_model(self, request, obj, form, change):
        if change:
            try:
                services.change_api_client(
                    actor=request.user, client_id=obj.pk, name=obj.name, scopes=form.cleaned_data["scopes"],
                    allowed_ips=obj.allowed_ips, rate_per_minute=obj.rate_per_minute, is_active=obj.is_active,
                )  # fmt: skip
            except DomainError as exc:
                raise PermissionDenied(str(exc.message)) from exc
            return
        try:
            client, token = services.create_api_client(
                actor=request.user, name=obj.name, congress=obj.congress, scopes=form.cleaned_data["scopes"],
                allowed_ips=obj.allowed_ips, rate_per_minute=obj.rate_per_minute,
            )  # fmt: skip
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        obj.pk, obj.user, obj.owner, obj.token_prefix = client.pk, client.user, client.owner, client.token_prefix
        obj._state.adding = False
        _show_secret(request, _("Token for %(name)s") % {"name": client.name}, token)

    @admin.action(description=_("Rotate the token (shown once)"))
    def rotate_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one client to rotate its token."), messages.WARNING)
            return
        client = queryset.get()
        try:
            token = services.rotate_api_token(actor=request.user, client=client)
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return
        _show_secret(request, _("New token for %(name)s") % {"name": client.name}, token)

    @admin.action(description=_("Revoke: the token stops working"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.revoke_api_client(actor=request.user, client=client)
        self.message_user(request, _("%(n)s clients revoked.") % {"n": queryset.count()}, messages.SUCCESS)


def _show_secret(request, title, secret: str) -> None:
    messages.warning(
        request, _("%(title)s: %(secret)s — copy it now; it will not be shown again.") % {"title": title,
                                                                                          "secret": secret}
    )  # fmt: skip


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("events"), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookEndpoint
        fields = ["client", "url", "events", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(name, f"{name} — {event.label} ({webhooks.needed_scope(name)})")
                                         for name, event in sorted(webhooks.EVENTS.items())]  # fmt: skip

    def clean(self):
        """The rules of the API and the services, from the one place that has them (webhooks.endpoint_errors)."""
        data = super().clean()
        client = data.get("client") or getattr(self.instance, "client", None)
        if client is not None and "url" in data and "events" in data:
            for field, problems in webhooks.endpoint_errors(client, data["url"], data["events"]).items():
                for message in problems:
                    self.add_error(field, message)
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "client", "events", "is_active", "updated_at"]
    list_select_related = ["client"]
    list_filter = ["is_active"]
    actions = ["rotate_secret"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return scope.has_role(request.user, "staff")
        return scope.can(request.user, "congress.change_own", obj.client)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                webhooks.change_endpoint(actor=request.user, endpoint_id=obj.pk, url=data["url"], events=data["events"],
                                         is_active=data["is_active"])  # fmt: skip
                return
            endpoint, secret = webhooks.add_endpoint(actor=request.user, client=data["client"], url=data["url"],
                                                     events=data["events"])  # fmt: skip
        except DomainError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        obj.pk = endpoint.pk
        obj._state.adding = False
        _show_secret(request, _("Signing secret for %(url)s") % {"url": endpoint.url}, secret)

    @admin.action(description=_("Rotate the signing secret (shown once)"))
    def rotate_secret(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one webhook to rotate its secret."), messages.WARNING)
            return
        endpoint = queryset.get()
        _show_secret(request, _("New signing secret for %(url)s") % {"url": endpoint.url},
                     webhooks.rotate_secret(actor=request.user, endpoint_id=endpoint.pk))  # fmt: skip


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ScopedAdmin):
    """Every event sent to a webhook, with its outcome; failed ones can be sent again."""

    list_display = ["event", "endpoint", "status", "attempts", "response_status", "created_at", "delivered_at"]
    list_select_related = ["endpoint"]
    list_filter = ["status", "event"]
    search_fields = ["event_id", "endpoint__url"]
    date_hierarchy = "created_at"
    actions = ["replay"]
    readonly_fields = ["endpoint", "event", "event_id", "payload", "status", "attempts", "next_attempt_at",
                       "delivered_at", "response_status", "last_error", "created_at"]  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"))
    def replay(self, request, queryset):
        sent = 0
        for delivery in queryset:
            try:
                webhooks.replay(actor=request.user, delivery_id=delivery.pk)
                sent += 1
            except DomainError as exc:
                self.message_user(request, f"{delivery}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)s deliveries queued again.") % {"n": sent}, messages.SUCCESS)


from . import twofactor_admin  # noqa: E402, F401 - the authenticators page replaces django-otp's

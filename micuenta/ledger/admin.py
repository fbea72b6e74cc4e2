from django.contrib import admin
from django.http import HttpRequest

from micuenta.core.admin_helpers import ReadOnlyAdmin
from micuenta.ledger.models import Account, Posting, Transaction


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "balance")
    list_filter = ("kind",)
    search_fields = ("code", "name")


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ("account", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "description", "effective_date", "created_at", "reverses")
    search_fields = ("idempotency_key",)
    date_hierarchy = "effective_date"
    inlines = (PostingInline,)
    list_select_related = ("reverses",)

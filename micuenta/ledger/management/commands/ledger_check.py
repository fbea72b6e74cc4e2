from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from micuenta.ledger.models import Account, Posting, Transaction
from micuenta.ledger.selectors import ledger_mismatches


class Command(BaseCommand):
    help = "Prove that every account's cached balance equals the sum of its postings; exit 1 if not."

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches = ledger_mismatches()
        accounts, transactions, postings = Account.objects.count(), Transaction.objects.count(), Posting.objects.count()
        if mismatches:
            for m in mismatches[:50]:
                self.stderr.write(f"{m.account_code}: cached {m.cached} != postings {m.postings}")
            raise CommandError(f"ledger_check: {len(mismatches)} of {accounts} accounts do not match their postings.")
        self.stdout.write(
            f"ledger_check: OK — {accounts} accounts, {transactions} transactions, {postings} postings; "
            "every cached balance equals the sum of its postings."
        )

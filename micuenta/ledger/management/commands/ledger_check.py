from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from micuenta.ledger.models import Account, Posting, Transaction
from micuenta.ledger.selectors import ledger_mismatches, ledger_postings_total, ledger_unbalanced_transactions


class Command(BaseCommand):
    help = (
        "Prove that every transaction balances, that all postings sum to zero and that every account's cached "
        "balance equals the sum of its postings; exit 1 if not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches = ledger_mismatches()
        unbalanced = ledger_unbalanced_transactions()
        grand_total = ledger_postings_total()
        accounts, transactions, postings = Account.objects.count(), Transaction.objects.count(), Posting.objects.count()
        problems = []
        for u in unbalanced[:50]:
            self.stderr.write(f"{u.idempotency_key} (asiento {u.transaction_id}): postings sum {u.total} != 0")
        if unbalanced:
            problems.append(f"{len(unbalanced)} of {transactions} transactions do not balance")
        if grand_total != 0:
            self.stderr.write(f"all postings sum {grand_total} != 0")
            problems.append(f"all postings sum {grand_total}, not zero")
        for m in mismatches[:50]:
            self.stderr.write(f"{m.account_code}: cached {m.cached} != postings {m.postings}")
        if mismatches:
            problems.append(f"{len(mismatches)} of {accounts} accounts do not match their postings")
        if problems:
            raise CommandError("ledger_check: " + "; ".join(problems) + ".")
        self.stdout.write(
            f"ledger_check: OK — {accounts} accounts, {transactions} transactions, {postings} postings; "
            "every transaction balances, all postings sum to zero and every cached balance equals the sum of its "
            "postings."
        )

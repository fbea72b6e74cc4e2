"""Every write of the credits domain (docs/architecture.md, "The service contract"), by concern:

- `accrual`: `credits_accrue`, the monthly mensualidades;
- `payments`: `credit_payments_apply`, money into a credit from every channel;
- `origination`: `credit_originate`, the amount granted;
- `statements`: `statements_generate` (the batch), `statement_ensure` (a page), `statements_discard`;
- `accounts` and `locks`: the ledger accounts and the row locks the services above share.
"""

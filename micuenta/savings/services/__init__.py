"""Every write of the savings domain (docs/architecture.md, "The service contract"), by concern:

- `subaccounts`: `subaccount_open`, the Subcuenta de Vivienda and its pockets;
- `sua`: `contributions_post`, the employers' SUA payments of a feed chunk (and the credits' side through
  `credit_payments_apply`);
- `yields`: `yields_post`, the rendimientos of a period;
- `gaps`: `contribution_gaps_refresh`, the stored list of missing and short contributions (derived data).
"""

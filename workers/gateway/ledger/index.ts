/**
 * The tenant ledger: budgets, reservations and rate limits, enforced by the TenantLedger
 * Durable Object. The call path needs admitCall, settleCall and worstCaseNanoUsd.
 */
export { admitCall, admitThrough, ledgerSpend, reloadLedger, settleCall } from "./client";
export { worstCaseNanoUsd } from "./budget";
export type { ActualCost, Admission, LedgerRequest, SpendView } from "./types";

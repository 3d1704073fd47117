// The month's minute budget as the overview and usage pages say it, including when new sessions are refused:
// a session needs at least a minute of budget to start (Avaturn refuses a shorter max duration), counted in
// whole minutes where the plan bills per started minute (app/metering/budgets.py).
import type { components } from "../api/schema";

type Budget = components["schemas"]["BudgetOut"];

export const MIN_SESSION_S = 60;

export interface BudgetView {
  limited: boolean;
  /** 0..100 for the bar. */
  percent: number;
  refusing: boolean;
  tone: "ok" | "warn" | "full";
}

export function budgetView(b: Budget): BudgetView {
  if (b.monthly_minutes === null || b.remaining_seconds === null) {
    return { limited: false, percent: 0, refusing: false, tone: "ok" };
  }
  const total = b.monthly_minutes * 60;
  let remaining = b.remaining_seconds;
  if (b.rounding === "minute") remaining = Math.floor(remaining / 60) * 60;
  const refusing = remaining < MIN_SESSION_S;
  const percent = total > 0 ? Math.min(100, (b.used_seconds / total) * 100) : 100;
  return { limited: true, percent, refusing, tone: refusing ? "full" : percent >= 80 ? "warn" : "ok" };
}

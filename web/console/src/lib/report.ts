// The usage report's rows (GET /v1/reports/usage). The OpenAPI document gives that answer no schema yet (its
// handler also answers CSV), so the rows are read defensively here instead of being typed by the generator.

export type Dimension = "agent" | "widget_key" | "origin" | "end_reason";

export interface ReportRow {
  period: string;
  key: string | null; // the breakdown's value: agent slug, widget key id, origin or end reason
  label: string | null; // a widget key's label
  sessions: number;
  upstream_seconds: number;
  billed_seconds: number;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const text = (v: unknown) => (typeof v === "string" ? v : null);

export function reportRows(answer: unknown, by: Dimension): ReportRow[] {
  const rows = typeof answer === "object" && answer !== null ? (answer as { rows?: unknown }).rows : undefined;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((r) => {
    if (typeof r !== "object" || r === null) return [];
    const row = r as Record<string, unknown>;
    return [
      {
        period: text(row.period) ?? "",
        key: text(row[by]),
        label: text(row.widget_key_label),
        sessions: num(row.sessions),
        upstream_seconds: num(row.upstream_seconds),
        billed_seconds: num(row.billed_seconds),
      },
    ];
  });
}

/** First and last day (UTC) of a month "YYYY-MM". */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

export function thisMonth(now: Date = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export interface TenantUsage {
  sessions: number;
  billed_seconds: number;
}

/** The operator usage report's rows (GET /v1/operator/reports/usage, also untyped in the document), by tenant id. */
export function usageByTenant(answer: unknown): Map<string, TenantUsage> {
  const rows = typeof answer === "object" && answer !== null ? (answer as { rows?: unknown }).rows : undefined;
  const out = new Map<string, TenantUsage>();
  if (!Array.isArray(rows)) return out;
  for (const r of rows) {
    if (typeof r !== "object" || r === null) continue;
    const row = r as Record<string, unknown>;
    const id = text(row.tenant_id);
    if (id) out.set(id, { sessions: num(row.sessions), billed_seconds: num(row.billed_seconds) });
  }
  return out;
}

// Who is signed in, in which tenant and with which role: read from GET /auth/me (loaded before any page).
import { useSuspenseQuery } from "@tanstack/react-query";
import { meQuery } from "../api/queries";
import { canWrite, type Role } from "../lib/roles";

export type { Role };

export function useSession() {
  const { data: me } = useSuspenseQuery(meQuery);
  const active = me.memberships.find((m) => m.tenant_id === me.active_tenant_id) ?? null;
  return {
    me,
    tenant: active,
    role: (active?.role ?? null) as Role | null,
    /** Owners and admins change things; billing and viewer members see read-only pages (the server refuses too).
     * The admin pages need it too: the API lets only owners and admins read agents, keys, members and webhooks. */
    // A suspended tenant's members keep reading sessions, usage and reports; everything else is refused.
    canWrite: active !== null && canWrite(active.role) && active.tenant_status !== "suspended",
    suspended: active?.tenant_status === "suspended",
  };
}

// Query keys and fetchers shared by pages, so one page's change refreshes another's view (an agent created on
// the agents page ticks the overview's checklist).
import { queryOptions } from "@tanstack/react-query";
import { api, call, setCsrfToken } from "./client";
import type { components } from "./schema";

export type Schemas = components["schemas"];

export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async () => {
    const me = await call(api.GET("/auth/me"));
    setCsrfToken(me.csrf_token);
    return me;
  },
  staleTime: 60_000,
});

// Everything below belongs to the active tenant: its key starts with "tenant", so a tenant switch drops it all.
export const credentialsQuery = queryOptions({
  queryKey: ["tenant", "credentials"],
  queryFn: () => call(api.GET("/v1/credentials")),
});

export const agentsQuery = queryOptions({
  queryKey: ["tenant", "agents"],
  queryFn: () => call(api.GET("/v1/agents")),
});

export const widgetKeysQuery = queryOptions({
  queryKey: ["tenant", "widget-keys"],
  queryFn: () => call(api.GET("/v1/widget-keys")),
});

export const serverKeysQuery = queryOptions({
  queryKey: ["tenant", "server-keys"],
  queryFn: () => call(api.GET("/v1/api-keys")),
});

export const usageQuery = queryOptions({
  queryKey: ["tenant", "usage"],
  queryFn: () => call(api.GET("/v1/usage")),
  refetchInterval: 30_000,
});

/** Live sessions, polled: at most 2 s stale (the budget), and only while the page is visible. */
export const LIVE_POLL_MS = 1_500;
export const liveSessionsQuery = queryOptions({
  queryKey: ["tenant", "sessions", "live"],
  queryFn: async () => {
    const [active, starting] = await Promise.all([
      call(api.GET("/v1/sessions", { params: { query: { state: "active", limit: 100 } } })),
      call(api.GET("/v1/sessions", { params: { query: { state: "starting", limit: 100 } } })),
    ]);
    return [...starting.items, ...active.items];
  },
  refetchInterval: LIVE_POLL_MS,
  refetchIntervalInBackground: false,
});

/** Whether a page has ever started a session (the checklist's last step). */
export const widgetSessionSeenQuery = queryOptions({
  queryKey: ["tenant", "sessions", "widget-seen"],
  queryFn: async () => {
    const page = await call(api.GET("/v1/sessions", { params: { query: { limit: 50 } } }));
    return page.items.some((s) => s.origin !== null);
  },
});

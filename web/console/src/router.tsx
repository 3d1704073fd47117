// Routes of the console, under /console/. Each page is its own chunk, loaded when first visited; the shell
// (header, navigation, who is signed in) is in the first load.
import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent } from "@tanstack/react-router";
import { Loading } from "./components/States";
import { AdminOnly, NotFound, Root } from "./shell/Shell";

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Root,
  notFoundComponent: NotFound,
});

type Loader = () => Promise<Record<string, () => React.ReactNode>>;

/** A page in its own chunk. `admin`: the API lets only owners and admins read what it shows (GET needs the admin
 * scope), so billing and viewer members get a plain "not for your role" instead of a refused request. */
const page = <P extends string>(path: P, load: () => Promise<Record<string, unknown>>, name: string, admin = false) => {
  const Lazy = lazyRouteComponent(load as Loader, name);
  return createRoute({
    getParentRoute: () => rootRoute,
    path,
    component: admin
      ? () => (
          <AdminOnly>
            <Lazy />
          </AdminOnly>
        )
      : Lazy,
  });
};

export type SessionsSearch = {
  tab?: "live" | "history";
  state?: string;
  agent?: string;
  end_reason?: string;
  from?: string;
  to?: string;
  session?: string;
};

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

const sessionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sessions",
  validateSearch: (search: Record<string, unknown>): SessionsSearch => {
    const out: SessionsSearch = {};
    if (search.tab === "history") out.tab = "history";
    for (const key of ["state", "agent", "end_reason", "from", "to", "session"] as const) {
      const value = text(search[key]);
      if (value) out[key] = value;
    }
    return out;
  },
  component: lazyRouteComponent(() => import("./pages/Sessions"), "SessionsPage"),
});

const routeTree = rootRoute.addChildren([
  page("/", () => import("./pages/Overview"), "OverviewPage"),
  page("/keys/providers", () => import("./pages/ProviderKeys"), "ProviderKeysPage", true),
  page("/agents", () => import("./pages/Agents"), "AgentsPage", true),
  page("/keys/widget", () => import("./pages/WidgetKeys"), "WidgetKeysPage", true),
  page("/keys/server", () => import("./pages/ServerKeys"), "ServerKeysPage", true),
  page("/usage", () => import("./pages/Usage"), "UsagePage"),
  page("/webhooks", () => import("./pages/Webhooks"), "WebhooksPage", true),
  page("/members", () => import("./pages/Members"), "MembersPage", true),
  page("/audit", () => import("./pages/Audit"), "AuditPage", true),
  page("/operator", () => import("./pages/Operator"), "OperatorPage"),
  page("/settings", () => import("./pages/Settings"), "SettingsPage"),
  sessionsRoute,
]);

export const router = createRouter({
  routeTree,
  basepath: "/console",
  context: { queryClient: undefined as unknown as QueryClient },
  defaultPreload: "intent",
  defaultPendingComponent: () => <Loading what="the page" />,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

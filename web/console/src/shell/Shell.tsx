import { Alert, Anchor, AppShell, Burger, Button, Center, Group, NavLink, Stack, Text, Title } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { type ReactNode, Suspense, useEffect, useRef } from "react";
import { api, call, signInAgain } from "../api/client";
import { meQuery } from "../api/queries";
import { ProblemAlert } from "../components/Problem";
import { Loading } from "../components/States";
import { ApiError } from "../lib/problem";
import { useSession } from "./session";
import { TenantSwitcher } from "./TenantSwitcher";

const NAV = [
  { to: "/", label: "Overview", admin: false },
  { to: "/sessions", label: "Sessions", admin: false },
  { to: "/usage", label: "Usage", admin: false },
  { to: "/agents", label: "Agents", admin: true },
  { to: "/keys/providers", label: "Provider keys", admin: true },
  { to: "/keys/widget", label: "Widget keys", admin: true },
  { to: "/keys/server", label: "Server keys", admin: true },
  { to: "/webhooks", label: "Webhooks", admin: true },
  { to: "/members", label: "Members", admin: true },
  { to: "/audit", label: "Audit log", admin: true },
  { to: "/settings", label: "Settings", admin: false },
] as const;

/** The console's frame: nothing renders before GET /auth/me answers; a 401 sends the browser to sign in. */
export function Root() {
  const me = useQuery(meQuery);
  if (me.isPending) return <Loading what="your account" />;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Loading what="the sign-in page" />; // the client is already taking the browser to /
    }
    return (
      <Center p="xl">
        <ProblemAlert error={me.error} title="The console could not load your account" onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  return <Shell />;
}

function Shell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below the breakpoint the closed navigation slides off screen: hidden too, so Tab and screen readers skip it.
  const phone = useMediaQuery("(max-width: 47.99em)", undefined, { getInitialValueInEffect: false });
  const { me, tenant, role, canWrite } = useSession();
  // The page's path without the basepath, however the router reports it: "/", "/agents", "/operator", ...
  const pathname = useRouterState({ select: (s) => s.location.pathname.replace(/^\/console(?=\/|$)/, "") || "/" });
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    close();
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus(); // a new page: screen readers and keyboards start at its content
  }, [pathname, close]);
  const signOut = useMutation({
    mutationFn: () => call(api.POST("/auth/logout")),
    onSuccess: signInAgain,
  });
  const who = me.user.name ?? me.user.email ?? me.user.subject;
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? "Close navigation" : "Open navigation"} />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Text fw={700} size="lg">
                Greenroom
              </Text>
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {!phone && <TenantSwitcher />}
            <Text size="sm" visibleFrom="md" title={me.user.email ?? undefined} data-testid="signed-in-as">
              {who}
            </Text>
            <Button variant="default" size={phone ? "xs" : "sm"} onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Console" style={phone && !opened ? { visibility: "hidden" } : undefined}>
        {phone && (
          <Stack gap={4} mb="sm">
            <TenantSwitcher />
            <Text size="sm">{who}</Text>
          </Stack>
        )}
        <Stack gap={2} component="nav" aria-label="Pages">
          {(tenant ? NAV.filter((item) => canWrite || !item.admin) : []).map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              active={item.to === "/" ? pathname === "/" : pathname.startsWith(item.to)}
            />
          ))}
          {me.operator && <NavLink component={Link} to="/operator" label="Operator" active={pathname.startsWith("/operator")} />}
        </Stack>
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          {tenant ? `${tenant.tenant_name} · ${role}` : "No tenant"}
        </Text>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1} style={{ outline: "none" }}>
        {signOut.isError && <ProblemAlert error={signOut.error} title="Signing out failed" />}
        {tenant?.tenant_status === "suspended" && (
          <Alert color="red" title={`${tenant.tenant_name} is suspended`} mb="md" data-testid="suspended-banner">
            The operator suspended this tenant: new sessions are refused and nothing can be changed. You can still read its sessions, usage and reports.
          </Alert>
        )}
        {tenant || (me.operator && pathname.startsWith("/operator")) ? (
          <Suspense fallback={<Loading what="the page" />}>
            <Outlet />
          </Suspense>
        ) : (
          <NoTenant />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

function NoTenant() {
  const { me } = useSession();
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        {me.memberships.length ? "Pick a tenant" : "You are not a member of a tenant"}
      </Title>
      <Text>
        {me.memberships.length
          ? "Choose the tenant to work in from the list at the top of the page."
          : me.operator
            ? "As an operator you manage every tenant from the Operator page."
            : "Ask an owner or admin of your team to invite you, then open the invitation link."}
      </Text>
    </Stack>
  );
}

/** Pages whose data only owners and admins may read. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { canWrite, role, suspended } = useSession();
  if (canWrite) return <>{children}</>;
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        {suspended ? "Not while the tenant is suspended" : "Not for your role"}
      </Title>
      <Text>
        {suspended
          ? "A suspended tenant's members can read its sessions, usage and reports, nothing else."
          : `As a ${role ?? "member"} of this tenant you see its sessions and usage; agents, keys, members and webhooks are for owners and admins.`}{" "}
        <Anchor component={Link} to="/" underline="always">
          Go to the overview
        </Anchor>
      </Text>
    </Stack>
  );
}

export function NotFound() {
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        No such page
      </Title>
      <Text>
        This address is not a page of the console.{" "}
        <Anchor component={Link} to="/" underline="always">
          Go to the overview
        </Anchor>
      </Text>
    </Stack>
  );
}

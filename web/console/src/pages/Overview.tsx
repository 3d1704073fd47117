import { Alert, Anchor, Card, Group, List, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { api, call } from "../api/client";
import {
  agentsQuery,
  credentialsQuery,
  liveSessionsQuery,
  usageQuery,
  widgetKeysQuery,
  widgetSessionSeenQuery,
} from "../api/queries";
import { BudgetBody } from "../components/Budget";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { Loading, QueryView } from "../components/States";
import { checklist } from "../lib/checklist";

import { providerName } from "../lib/providers";
import { useSession } from "../shell/session";

const DayChart = lazy(() => import("../components/DayChart"));

export function OverviewPage() {
  const { canWrite } = useSession();
  const credentials = useQuery({ ...credentialsQuery, enabled: canWrite });
  const invalid = credentials.data?.items.filter((c) => c.status === "invalid") ?? [];
  return (
    <Page title="Overview" intro="Live sessions, this month's minutes and what is left to set up.">
      {invalid.map((c) => (
        <Alert key={c.id} color="red" title={`The ${providerName(c.provider)} key was found invalid`} role="alert">
          The provider refused the key ending in {c.last4} ({c.label}). Sessions that need it fail until you{" "}
          <Anchor component={Link} to="/keys/providers">
            replace it
          </Anchor>
          .
        </Alert>
      ))}
      {canWrite && <GettingStarted />}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <LiveNow />
        <Budget />
      </SimpleGrid>
      <PerDay />
      <Failures />
    </Page>
  );
}

function GettingStarted() {
  const credentials = useQuery(credentialsQuery);
  const agents = useQuery(agentsQuery);
  const widgetKeys = useQuery(widgetKeysQuery);
  const seen = useQuery(widgetSessionSeenQuery);
  const queries = [credentials, agents, widgetKeys, seen];
  const failed = queries.find((q) => q.isError);
  if (failed?.error) return <ProblemAlert error={failed.error} title="The getting-started checklist could not be loaded" onRetry={() => queries.forEach((q) => void q.refetch())} />;
  if (!credentials.data || !agents.data || !widgetKeys.data || seen.data === undefined) return <Skeleton h={160} aria-label="Loading the checklist" />;
  const steps = checklist({
    credentials: credentials.data.items,
    agents: agents.data.items,
    widgetKeys: widgetKeys.data.items,
    widgetSessionSeen: seen.data,
  });
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        Getting started ({done} of {steps.length} done)
      </Title>
      <List spacing="sm" mt="sm" listStyleType="none" data-testid="checklist">
        {steps.map((step, i) => (
          <List.Item
            key={step.id}
            data-done={step.done}
            icon={
              <ThemeIcon color={step.done ? "teal" : "gray"} variant={step.done ? "filled" : "light"} radius="xl" size={24} aria-hidden>
                {step.done ? "✓" : i + 1}
              </ThemeIcon>
            }
          >
            <Text fw={500} td={step.done ? "line-through" : undefined}>
              {step.done ? (
                <>
                  {step.label} <span className="visually-hidden">(done)</span>
                </>
              ) : (
                <Anchor component={Link} to={step.to}>
                  {step.label}
                </Anchor>
              )}
            </Text>
            <Text size="sm" c="dimmed">
              {step.hint}
            </Text>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

function LiveNow() {
  const live = useQuery(liveSessionsQuery);
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        Live now
      </Title>
      <QueryView query={live} what="live sessions">
        {(sessions) => (
          <Stack gap={4} mt="xs">
            <Text size="xl" fw={700} data-testid="live-count" aria-live="polite">
              {sessions.length} {sessions.length === 1 ? "session" : "sessions"}
            </Text>
            <Anchor component={Link} to="/sessions" size="sm">
              See and end live sessions
            </Anchor>
          </Stack>
        )}
      </QueryView>
    </Card>
  );
}

function Budget() {
  const usage = useQuery(usageQuery);
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        Minutes this month
      </Title>
      <QueryView query={usage} what="usage">
        {(u) => <BudgetBody usage={u} />}
      </QueryView>
    </Card>
  );
}

function PerDay() {
  const usage = useQuery(usageQuery);
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        Billed minutes per day
      </Title>
      <QueryView
        query={usage}
        what="usage per day"
        isEmpty={(u) => u.days.length === 0}
        empty={<Text size="sm" c="dimmed" mt="xs">No billed sessions this month yet.</Text>}
      >
        {(u) => (
          <Suspense fallback={<Loading what="the chart" />}>
            <DayChart days={u.days} month={u.month} label={`Billed minutes per day, ${u.month}`} />
          </Suspense>
        )}
      </QueryView>
    </Card>
  );
}

function Failures() {
  const failed = useQuery({
    queryKey: ["tenant", "sessions", "failed-24h"],
    queryFn: () =>
      call(
        api.GET("/v1/sessions", {
          params: { query: { state: "failed", created_from: new Date(Date.now() - 86_400_000).toISOString(), limit: 500 } },
        }),
      ),
    refetchInterval: 60_000,
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        Failures in the last 24 hours
      </Title>
      <QueryView
        query={failed}
        what="failures"
        isEmpty={(page) => page.items.length === 0}
        empty={<Text size="sm" c="dimmed" mt="xs">No session failed in the last 24 hours.</Text>}
      >
        {(page) => {
          const groups = new Map<string, number>();
          for (const s of page.items) {
            const why = s.end_reason ?? s.error ?? "unknown";
            groups.set(why, (groups.get(why) ?? 0) + 1);
          }
          return (
            <List mt="xs" size="sm">
              {[...groups.entries()]
                .sort((a, b) => b[1] - a[1])
                .map(([why, n]) => (
                  <List.Item key={why}>
                    <Group gap="xs">
                      <Text size="sm" fw={600}>
                        {n}×
                      </Text>
                      <Text size="sm">{why}</Text>
                    </Group>
                  </List.Item>
                ))}
              {page.next_cursor && <List.Item>and more: see the sessions page.</List.Item>}
            </List>
          );
        }}
      </QueryView>
    </Card>
  );
}

import { Alert, Anchor, Card, List, SimpleGrid, Skeleton, Stack, Table, Text, ThemeIcon, Title } from "@mantine/core";
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
import { when } from "../lib/format";

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
  const failures = useQuery({
    queryKey: ["tenant", "failures", 24],
    queryFn: () => call(api.GET("/v1/reports/failures", { params: { query: { hours: 24 } } })),
    refetchInterval: 60_000,
  });
  return (
    <Card withBorder component="section" aria-labelledby="failures">
      <Title order={2} size="h4" id="failures">
        Refused session starts, last 24 hours
      </Title>
      <QueryView
        query={failures}
        what="failures"
        isEmpty={(r) => r.items.length === 0}
        empty={<Text size="sm" c="dimmed" mt="xs">No session start was refused in the last 24 hours.</Text>}
      >
        {(r) => (
          <Table.ScrollContainer minWidth={520}>
          <Table mt="xs" data-testid="failures">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Why</Table.Th>
                <Table.Th ta="right">Refused</Table.Th>
                <Table.Th ta="right">API</Table.Th>
                <Table.Th ta="right">Widget</Table.Th>
                <Table.Th>Last</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.items.map((f) => (
                <Table.Tr key={f.problem}>
                  <Table.Td>
                    <Text size="sm">{f.title}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {f.problem}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{f.count}</Table.Td>
                  <Table.Td ta="right">{f.api}</Table.Td>
                  <Table.Td ta="right">{f.widget}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(f.last_at)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
    </Card>
  );
}

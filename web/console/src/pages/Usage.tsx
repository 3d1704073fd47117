import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { api, call } from "../api/client";
import { BudgetBody } from "../components/Budget";
import { Page } from "../components/Page";
import { Loading, QueryView } from "../components/States";
import { duration, minutes } from "../lib/format";
import { type Dimension, monthRange, type ReportRow, reportRows, thisMonth } from "../lib/report";

const DayChart = lazy(() => import("../components/DayChart"));
const MONTH = /^(?!0000-)[0-9]{4}-(0[1-9]|1[0-2])$/;

const BREAKDOWNS: { by: Dimension; title: string; column: string }[] = [
  { by: "agent", title: "By agent", column: "Agent" },
  { by: "widget_key", title: "By widget key", column: "Widget key" },
  { by: "origin", title: "By page origin", column: "Origin" },
];

export function UsagePage() {
  const [month, setMonth] = useState(thisMonth());
  const valid = MONTH.test(month);
  const usage = useQuery({
    queryKey: ["tenant", "usage", month],
    queryFn: () => call(api.GET("/v1/usage", { params: { query: { month } } })),
    enabled: valid,
  });
  const { from, to } = valid ? monthRange(month) : monthRange(thisMonth());
  const csv = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams({ ...query, format: "csv" }).toString()}`;
  return (
    <Page
      title="Usage"
      intro="Billed minutes by month, day, agent, widget key and page origin. Months are calendar months in UTC; a session counts in the month it started."
      actions={
        <TextInput
          type="month"
          label="Month"
          value={month}
          onChange={(e) => setMonth(e.currentTarget.value || thisMonth())}
          error={valid ? undefined : "A month like 2026-11."}
          w={200}
        />
      }
    >
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4">
            Minutes in {month}
          </Title>
          <QueryView query={usage} what="usage">
            {(u) => <BudgetBody usage={u} />}
          </QueryView>
        </Card>
        <Card withBorder component="section" aria-labelledby="downloads">
          <Title order={2} size="h4" id="downloads">
            Downloads (CSV)
          </Title>
          <Stack gap={6} mt="xs">
            <Anchor href={csv("/v1/reports/usage", { from, to, period: "day", by: "agent" })} download>
              Billed seconds per day and agent, {month}
            </Anchor>
            <Anchor href={csv("/v1/reports/usage", { from, to, period: "day", by: "widget_key,origin" })} download>
              Billed seconds per day, widget key and origin, {month}
            </Anchor>
            <Anchor href={csv("/v1/reports/sessions", { created_from: `${from}T00:00:00Z`, created_to: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() })} download>
              Every session of {month}
            </Anchor>
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4">
          Billed minutes per day
        </Title>
        <QueryView query={usage} what="usage per day" isEmpty={(u) => u.days.length === 0} empty={<Text size="sm" c="dimmed" mt="xs">No billed session in {month}.</Text>}>
          {(u) => (
            <Suspense fallback={<Loading what="the chart" />}>
              <DayChart days={u.days} month={u.month} label={`Billed minutes per day, ${u.month}`} />
            </Suspense>
          )}
        </QueryView>
      </Card>
      {BREAKDOWNS.map((b) => (
        <Breakdown key={b.by} by={b.by} title={b.title} column={b.column} from={from} to={to} enabled={valid} />
      ))}
    </Page>
  );
}

function Breakdown({ by, title, column, from, to, enabled }: { by: Dimension; title: string; column: string; from: string; to: string; enabled: boolean }) {
  const report = useQuery({
    queryKey: ["tenant", "usage-report", by, from, to],
    queryFn: async () => reportRows(await call(api.GET("/v1/reports/usage", { params: { query: { from, to, period: "month", by } } })), by),
    enabled,
  });
  return (
    <Card withBorder component="section" aria-labelledby={`by-${by}`}>
      <Title order={2} size="h4" id={`by-${by}`}>
        {title}
      </Title>
      <QueryView query={report} what={title.toLowerCase()} isEmpty={(rows) => rows.length === 0} empty={<Text size="sm" c="dimmed" mt="xs">Nothing billed in this month.</Text>}>
        {(rows) => <BreakdownTable rows={rows} column={column} by={by} />}
      </QueryView>
    </Card>
  );
}

function BreakdownTable({ rows, column, by }: { rows: ReportRow[]; column: string; by: Dimension }) {
  const sorted = [...rows].sort((a, b) => b.billed_seconds - a.billed_seconds);
  const name = (r: ReportRow) => (by === "widget_key" ? (r.label ?? r.key ?? "server keys and the console") : (r.key ?? (by === "origin" ? "no origin (server key)" : "—")));
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped mt="xs" data-testid={`usage-by-${by}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{column}</Table.Th>
            <Table.Th ta="right">Sessions</Table.Th>
            <Table.Th ta="right">At the provider</Table.Th>
            <Table.Th ta="right">Billed minutes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((r) => (
            <Table.Tr key={`${r.period}-${r.key ?? ""}`}>
              <Table.Td>{name(r)}</Table.Td>
              <Table.Td ta="right">{r.sessions}</Table.Td>
              <Table.Td ta="right">{duration(r.upstream_seconds)}</Table.Td>
              <Table.Td ta="right">{minutes(r.billed_seconds)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end" mt={4}>
        <Text size="xs" c="dimmed">
          Finished sessions whose end the provider acknowledged.
        </Text>
      </Group>
    </Table.ScrollContainer>
  );
}

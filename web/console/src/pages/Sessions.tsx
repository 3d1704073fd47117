import { Alert, Badge, Button, Drawer, Group, NativeSelect, Paper, Stack, Table, Tabs, Text, TextInput, Timeline } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { api, call } from "../api/client";
import { agentsQuery, LIVE_POLL_MS, liveSessionsQuery, type Schemas } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { Page } from "../components/Page";
import { Empty, QueryView } from "../components/States";
import { duration, since, when } from "../lib/format";
import type { SessionsSearch } from "../router";
import { useSession } from "../shell/session";

type Session = Schemas["SessionOut"];
/** A change of the URL's search: `undefined` removes a filter. */
type SearchChange = { [K in keyof SessionsSearch]?: SessionsSearch[K] | undefined };

function applied(current: SessionsSearch, change: SearchChange): SessionsSearch {
  const next: Record<string, unknown> = { ...current, ...change };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next as SessionsSearch;
}
const route = getRouteApi("/sessions");
const STATES = ["starting", "active", "ended", "terminated", "failed"] as const;
const PAGE_SIZE = 50;

function stateBadge(state: string) {
  const color = { starting: "blue", active: "teal", ended: "gray", terminated: "orange", failed: "red" }[state] ?? "gray";
  return (
    <Badge color={color} variant="light">
      {state}
    </Badge>
  );
}

export function SessionsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const setSearch = (change: SearchChange) => void navigate({ search: (s) => applied(s, change) });
  return (
    <Page title="Sessions" intro="Live sessions refresh by themselves; end one with Kill. The history keeps every session with why and how long it ran.">
      <Tabs value={search.tab ?? "live"} onChange={(tab) => setSearch({ tab: tab === "history" ? "history" : undefined })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="live">Live</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="live" pt="md">
          <Live onOpen={(id) => setSearch({ session: id })} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <History search={search} setSearch={setSearch} />
        </Tabs.Panel>
      </Tabs>
      <Drawer opened={!!search.session} onClose={() => setSearch({ session: undefined })} position="right" size="lg" title="Session">
        {search.session && <SessionDetail id={search.session} />}
      </Drawer>
    </Page>
  );
}

function Live({ onOpen }: { onOpen: (id: string) => void }) {
  const live = useQuery(liveSessionsQuery);
  const { canWrite } = useSession();
  const client = useQueryClient();
  const [killed, setKilled] = useState<Session[]>([]);
  const kill = async (s: Session) => {
    const ended = await call(api.DELETE("/v1/sessions/{session_id}", { params: { path: { session_id: s.id } } }));
    client.setQueryData(liveSessionsQuery.queryKey, (old) => old?.filter((x) => x.id !== s.id));
    setKilled((k) => [ended, ...k.filter((x) => x.id !== s.id)].slice(0, 5));
    void client.invalidateQueries({ queryKey: ["tenant", "usage"] });
  };
  const phone = useMediaQuery("(max-width: 47.99em)", undefined, { getInitialValueInEffect: false });
  const actions = (s: Session) => (
    <Group gap="xs" wrap="nowrap" justify="flex-end">
      <Button size="xs" variant="default" onClick={() => onOpen(s.id)} aria-label={`Details of session ${s.id.slice(0, 8)}`}>
        Details
      </Button>
      {canWrite && (
        <ConfirmButton label="Kill" aria-label={`Kill session ${s.id.slice(0, 8)}`} title="End this session now?" confirmLabel="Kill the session" onConfirm={() => kill(s)}>
          The visitor's conversation with <b>{s.agent}</b> ends at once: the session becomes <i>terminated</i> and the provider is told to end it.
          It is billed up to now.
        </ConfirmButton>
      )}
    </Group>
  );
  return (
    <Stack>
      {killed.map((s) => (
        <KillResult key={s.id} session={s} />
      ))}
      <QueryView
        query={live}
        what="live sessions"
        isEmpty={(d) => d.length === 0}
        empty={<Empty title="No live session">Sessions appear here within {LIVE_POLL_MS / 1000} s of starting.</Empty>}
      >
        {(sessions) =>
          phone ? (
            <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="Live sessions">
              {sessions.map((s) => (
                <Paper key={s.id} withBorder p="sm" component="li" data-testid="live-session" data-session-id={s.id}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Stack gap={2}>
                      <Group gap="xs">
                        <Text fw={600}>{s.agent}</Text>
                        {stateBadge(s.state)}
                      </Group>
                      <Text size="sm">{s.origin ?? "API (no page)"}</Text>
                      <Text size="sm" c="dimmed">
                        running for {since(s.started_at ?? s.created_at)}
                      </Text>
                    </Stack>
                    {actions(s)}
                  </Group>
                </Paper>
              ))}
            </Stack>
          ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-describedby="live-refresh">
              <Table.Caption id="live-refresh">Refreshes every {LIVE_POLL_MS / 1000} s.</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Agent</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Origin</Table.Th>
                  <Table.Th>Running for</Table.Th>
                  <Table.Th>Ends at the latest</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.map((s) => (
                  <Table.Tr key={s.id} data-testid="live-session" data-session-id={s.id}>
                    <Table.Td>
                      <Text fw={500}>{s.agent}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {s.id.slice(0, 8)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{stateBadge(s.state)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.origin ?? "API (no page)"}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{since(s.started_at ?? s.created_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{when(s.expires_at)}</Text>
                    </Table.Td>
                    <Table.Td>{actions(s)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          )
        }
      </QueryView>
    </Stack>
  );
}

/** What a Kill did: terminated at once, then the provider's acknowledgement once the worker has delivered it. */
function KillResult({ session }: { session: Session }) {
  const detail = useQuery({
    queryKey: ["tenant", "sessions", "one", session.id],
    queryFn: () => call(api.GET("/v1/sessions/{session_id}", { params: { path: { session_id: session.id } } })),
    initialData: session,
    // Until the provider's acknowledgement is in (the worker delivers the end), for a minute at most.
    refetchInterval: (q) => (q.state.data?.upstream_seconds == null && q.state.dataUpdateCount < 120 ? 500 : false),
  });
  const s = detail.data;
  const acknowledged = s.upstream_seconds !== null && s.upstream_seconds !== undefined;
  return (
    <Alert color={acknowledged ? "teal" : "orange"} role="status" data-testid="kill-result" data-session-id={s.id} title={`Session ${s.id.slice(0, 8)} (${s.agent}): ${s.state}`}>
      {acknowledged
        ? `The provider acknowledged the end: ${duration(s.upstream_seconds)} at the provider, ${duration(s.billed_seconds)} billed.`
        : "Ended here; telling the provider to end it…"}
    </Alert>
  );
}

function dayStart(date: string | undefined, plusDays = 0): string | undefined {
  if (!date) return undefined;
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t + plusDays * 86_400_000).toISOString();
}

function History({ search, setSearch }: { search: SessionsSearch; setSearch: (c: SearchChange) => void }) {
  const agents = useQuery(agentsQuery);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [reason, setReason] = useState(search.end_reason ?? "");
  const cursor = cursors[cursors.length - 1] ?? null;
  const filters = { state: search.state, agent: search.agent, end_reason: search.end_reason, from: search.from, to: search.to };
  const page = useQuery({
    queryKey: ["tenant", "sessions", "history", filters, cursor],
    queryFn: () =>
      call(
        api.GET("/v1/sessions", {
          params: {
            query: {
              limit: PAGE_SIZE,
              cursor,
              ...(search.state ? { state: search.state as (typeof STATES)[number] } : {}),
              agent: search.agent ?? null,
              end_reason: search.end_reason ?? null,
              created_from: dayStart(search.from) ?? null,
              created_to: dayStart(search.to, 1) ?? null,
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const filter = (change: SearchChange) => {
    setCursors([null]);
    setSearch(change);
  };
  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          filter({ end_reason: reason.trim() || undefined });
        }}
      >
        <Group align="flex-end" gap="sm">
          <NativeSelect
            label="State"
            value={search.state ?? ""}
            data={[{ value: "", label: "Any state" }, ...STATES.map((s) => ({ value: s, label: s }))]}
            onChange={(e) => filter({ state: e.currentTarget.value || undefined })}
          />
          <NativeSelect
            label="Agent"
            value={search.agent ?? ""}
            data={[{ value: "", label: "Any agent" }, ...(agents.data?.items ?? []).map((a) => ({ value: a.slug, label: a.slug }))]}
            onChange={(e) => filter({ agent: e.currentTarget.value || undefined })}
          />
          <TextInput label="End reason" placeholder="e.g. client_ended" value={reason} onChange={(e) => setReason(e.currentTarget.value)} onBlur={() => filter({ end_reason: reason.trim() || undefined })} />
          <TextInput type="date" label="From (UTC)" value={search.from ?? ""} onChange={(e) => filter({ from: e.currentTarget.value || undefined })} />
          <TextInput type="date" label="To (UTC)" value={search.to ?? ""} onChange={(e) => filter({ to: e.currentTarget.value || undefined })} />
          <Button type="submit" variant="default">
            Filter
          </Button>
        </Group>
      </form>
      <QueryView query={page} what="session history" isEmpty={(d) => d.items.length === 0 && cursors.length === 1} empty={<Empty title="No session matches">Change or clear the filters.</Empty>}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Started</Table.Th>
                    <Table.Th>Agent</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Why it ended</Table.Th>
                    <Table.Th>Origin</Table.Th>
                    <Table.Th>Billed</Table.Th>
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((s) => (
                    <Table.Tr key={s.id} data-testid="history-session">
                      <Table.Td>
                        <Text size="sm">{when(s.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{s.agent}</Text>
                      </Table.Td>
                      <Table.Td>{stateBadge(s.state)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{s.end_reason ?? "—"}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{s.origin ?? "API (no page)"}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{duration(s.billed_seconds)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="default" onClick={() => setSearch({ session: s.id })} aria-label={`Details of session ${s.id.slice(0, 8)}`}>
                          Details
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Page {cursors.length} · up to {PAGE_SIZE} a page, newest first
              </Text>
              <Group gap="xs">
                <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Newer
                </Button>
                <Button variant="default" size="xs" disabled={!data.next_cursor} onClick={() => data.next_cursor && setCursors((c) => [...c, data.next_cursor ?? null])}>
                  Older
                </Button>
              </Group>
            </Group>
          </>
        )}
      </QueryView>
    </Stack>
  );
}

function SessionDetail({ id }: { id: string }) {
  const session = useQuery({
    queryKey: ["tenant", "sessions", "one", id],
    queryFn: () => call(api.GET("/v1/sessions/{session_id}", { params: { path: { session_id: id } } })),
    refetchInterval: (q) => (q.state.data && q.state.data.upstream_seconds == null && q.state.data.state !== "failed" ? 2_000 : false),
  });
  return (
    <QueryView query={session} what="session">
      {(s) => (
        <Stack>
          <Group gap="xs">
            <Text fw={600}>{s.agent}</Text>
            {stateBadge(s.state)}
            <Text size="xs" c="dimmed" ff="monospace">
              {s.id}
            </Text>
          </Group>
          <Timeline active={s.ended_at ? 2 : s.started_at ? 1 : 0} bulletSize={16} lineWidth={2}>
            <Timeline.Item title="Created">
              <Text size="sm">{when(s.created_at)}</Text>
            </Timeline.Item>
            <Timeline.Item title="Active">
              <Text size="sm">{s.started_at ? `${when(s.started_at)}: the provider started it` : "not started at the provider"}</Text>
            </Timeline.Item>
            <Timeline.Item title={s.ended_at ? `Ended (${s.state})` : "Not ended"}>
              <Text size="sm">{s.ended_at ? when(s.ended_at) : `at the latest ${when(s.expires_at)}`}</Text>
              {s.end_reason && <Text size="sm">Why: {s.end_reason}</Text>}
              {s.error && (
                <Text size="sm" c="red.8">
                  {s.error}
                </Text>
              )}
            </Timeline.Item>
          </Timeline>
          <Table variant="vertical" layout="fixed" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={180}>Engine</Table.Th>
                <Table.Td>{s.engine}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Origin</Table.Th>
                <Table.Td>{s.origin ?? "none: started with a server key"}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Duration</Table.Th>
                <Table.Td>{duration(s.duration_s)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>At the provider</Table.Th>
                <Table.Td>{s.upstream_seconds == null ? (s.ended_at ? "waiting for the provider to acknowledge the end" : "—") : duration(s.upstream_seconds)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Billed</Table.Th>
                <Table.Td>{duration(s.billed_seconds)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </QueryView>
  );
}

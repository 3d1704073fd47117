import { Badge, Button, Drawer, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../api/client";
import type { Schemas } from "../api/queries";
import { Page } from "../components/Page";
import { Empty, QueryView } from "../components/States";
import { changes } from "../lib/diff";
import { when } from "../lib/format";

type Event = Schemas["AuditEventOut"];
type Filters = { actor: string; action: string; target: string; since: string; until: string };
const NONE: Filters = { actor: "", action: "", target: "", since: "", until: "" };
const PAGE_SIZE = 50;

const day = (date: string, plus = 0) => (date ? new Date(Date.parse(`${date}T00:00:00Z`) + plus * 86_400_000).toISOString() : null);

function actorOf(e: Event): string {
  if (e.actor_name) return e.actor_name;
  if (e.actor_label) return e.actor_label;
  const kind = { api_key: "server key", user: "user", operator: "operator", system: "Greenroom" }[e.actor_type] ?? e.actor_type;
  return e.actor_id ? `${kind} ${e.actor_id.slice(0, 8)}` : kind;
}

export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [open, setOpen] = useState<Event | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery({
    queryKey: ["tenant", "audit", filters, cursor],
    queryFn: () =>
      call(
        api.GET("/v1/audit-events", {
          params: {
            query: {
              limit: PAGE_SIZE,
              cursor,
              actor: filters.actor.trim() || null,
              action: filters.action.trim() || null,
              target: filters.target.trim() || null,
              since: day(filters.since),
              until: day(filters.until, 1),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [k]: e.currentTarget.value });
  return (
    <Page title="Audit log" intro="Every change to this tenant: who made it, when, from where, and what it was before and after. Newest first.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setCursors([null]);
          setFilters(draft);
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label="Action" placeholder="agent.updated or agent." value={draft.action} onChange={set("action")} />
          <TextInput label="Actor id" placeholder="user or key id" value={draft.actor} onChange={set("actor")} />
          <TextInput label="Target id" value={draft.target} onChange={set("target")} />
          <TextInput type="date" label="From (UTC)" value={draft.since} onChange={set("since")} />
          <TextInput type="date" label="To (UTC)" value={draft.until} onChange={set("until")} />
          <Button type="submit" variant="default">
            Filter
          </Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft(NONE);
              setFilters(NONE);
              setCursors([null]);
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      <QueryView query={page} what="audit log" isEmpty={(d) => d.items.length === 0 && cursors.length === 1} empty={<Empty title="No event matches" />}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Who</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>What</Table.Th>
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((e) => (
                    <Table.Tr key={e.id} data-testid="audit-row">
                      <Table.Td>
                        <Text size="sm">{when(e.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{actorOf(e)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" tt="none">
                          {e.action}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {e.target_type} {e.target_id && <Text span ff="monospace" size="xs">{e.target_id.slice(0, 8)}</Text>}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Button size="xs" variant="default" onClick={() => setOpen(e)} aria-label={`Changes of event ${e.id}: ${e.action}`}>
                          Changes
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Page {cursors.length}
              </Text>
              <Group gap="xs">
                <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Newer
                </Button>
                <Button variant="default" size="xs" disabled={data.next_cursor == null} onClick={() => setCursors((c) => [...c, data.next_cursor ?? null])}>
                  Older
                </Button>
              </Group>
            </Group>
          </>
        )}
      </QueryView>
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="lg" title={open ? `${open.action}` : ""}>
        {open && <EventDetail event={open} />}
      </Drawer>
    </Page>
  );
}

function EventDetail({ event }: { event: Event }) {
  const lines = changes(event.before, event.after);
  return (
    <Stack>
      <Text size="sm">
        {when(event.created_at)} · {actorOf(event)} ({event.actor_type}
        {event.actor_id ? ` ${event.actor_id}` : ""}){event.ip ? ` · from ${event.ip}` : ""}
      </Text>
      <Text size="sm">
        {event.target_type} {event.target_id}
      </Text>
      {lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          No recorded before or after.
        </Text>
      ) : (
        <Table withTableBorder layout="fixed" data-testid="audit-changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Field</Table.Th>
              <Table.Th>Before</Table.Th>
              <Table.Th>After</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={l.key} data-changed={l.changed} fw={l.changed ? 700 : undefined}>
                <Table.Td ff="monospace" style={{ wordBreak: "break-all" }}>
                  {l.key}
                  {l.changed && <span className="visually-hidden"> (changed)</span>}
                </Table.Td>
                <Table.Td ff="monospace" style={{ wordBreak: "break-all" }}>
                  {l.before ?? "—"}
                </Table.Td>
                <Table.Td ff="monospace" style={{ wordBreak: "break-all" }}>
                  {l.after ?? "—"}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {event.user_agent && (
        <Text size="xs" c="dimmed">
          {event.user_agent}
        </Text>
      )}
    </Stack>
  );
}

import { Alert, Badge, Button, Card, Checkbox, Drawer, Group, Modal, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import type { Schemas } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { SecretOnce } from "../components/Copy";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { Empty, QueryView } from "../components/States";
import { when } from "../lib/format";
import { type Json, mergePatch } from "../lib/mergePatch";
import { fieldMessage } from "../lib/problem";

type Webhook = Schemas["WebhookOut"];
type EventType = (typeof fields)["WebhookIn.events"]["enum"][number];
const EVENTS = fields["WebhookIn.events"].enum;
const EVENT_HELP: Record<EventType, string> = {
  "session.started": "a session started",
  "session.ended": "a session ended and was metered",
  "session.terminated": "a session was ended through the API or the console",
  "quota.threshold": "the month's minutes passed a threshold of the budget",
  "credential.invalid": "a provider refused a stored key",
};
const URL_OK = new RegExp(fields["WebhookIn.url"].pattern);
const webhooksQuery = { queryKey: ["tenant", "webhooks"], queryFn: () => call(api.GET("/v1/webhooks")) };

export function WebhooksPage() {
  const hooks = useQuery(webhooksQuery);
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  return (
    <Page
      title="Webhooks"
      intro="Greenroom POSTs events to your endpoints, signed per Standard Webhooks. Failed deliveries are retried; an endpoint that keeps failing is disabled, and says why."
      actions={editing === null && <Button onClick={() => { setEditing("new"); setSecret(null); }}>New endpoint</Button>}
    >
      {secret && <SecretOnce label="signing secret" secret={secret} onDone={() => setSecret(null)} />}
      {editing !== null && (
        <WebhookForm
          webhook={editing === "new" ? null : editing}
          onDone={(made) => {
            setEditing(null);
            if (made) setSecret(made);
          }}
        />
      )}
      <QueryView query={hooks} what="webhook endpoints" isEmpty={(d) => d.items.length === 0} empty={<Empty title="No endpoint yet">Add one to hear about sessions, budgets and refused keys as they happen.</Empty>}>
        {(data) => (
          <Stack component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="Webhook endpoints">
            {data.items.map((w) => (
              <WebhookCard key={w.id} webhook={w} onEdit={() => setEditing(w)} onLog={() => setLog(w)} onRotate={() => setRotating(w)} />
            ))}
          </Stack>
        )}
      </QueryView>
      <Drawer opened={log !== null} onClose={() => setLog(null)} position="right" size="xl" title={log ? `Deliveries to ${log.url}` : ""}>
        {log && <Deliveries webhook={log} />}
      </Drawer>
      <RotateSecret
        webhook={rotating}
        onClose={() => setRotating(null)}
        onRotated={(s) => {
          setRotating(null);
          setSecret(s);
        }}
      />
    </Page>
  );
}

function WebhookCard({ webhook: w, onEdit, onLog, onRotate }: { webhook: Webhook; onEdit: () => void; onLog: () => void; onRotate: () => void }) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["tenant", "webhooks"] });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => call(api.PATCH("/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: w.id } }, body: { enabled } })),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: () => call(api.POST("/v1/webhooks/{webhook_id}/test", { params: { path: { webhook_id: w.id } } })),
  });
  const remove = async () => {
    await call(api.DELETE("/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: w.id } } }));
    await refresh();
  };
  return (
    <Paper withBorder p="md" component="li" data-testid="webhook">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Text fw={600} ff="monospace" style={{ wordBreak: "break-all" }}>
              {w.url}
            </Text>
            {w.description && <Text size="sm">{w.description}</Text>}
            <Group gap={4}>
              {w.events.map((e) => (
                <Badge key={e} variant="light" tt="none">
                  {e}
                </Badge>
              ))}
            </Group>
          </Stack>
          <Badge color={w.enabled ? "teal" : "gray"}>{w.enabled ? "enabled" : "disabled"}</Badge>
        </Group>
        {!w.enabled && (
          <Alert color="gray" title={`Disabled ${when(w.disabled_at)}`}>
            {w.disabled_reason ?? "Disabled by its owner."} Events are not sent while it is disabled.
          </Alert>
        )}
        {w.enabled && w.consecutive_failures > 0 && (
          <Alert color="yellow" title={`${w.consecutive_failures} failed attempt(s) in a row`}>
            Failing since {when(w.failing_since)}. If it keeps failing it is disabled; the delivery log says what the receiver answered.
          </Alert>
        )}
        {test.isSuccess && (
          <Alert color="teal" role="status">
            A test event ({test.data.type}) is on its way: message {test.data.message_id}. Its attempts show in the delivery log.
          </Alert>
        )}
        {(test.isError || toggle.isError) && <ProblemAlert error={test.error ?? toggle.error} />}
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={onLog}>
            Delivery log
          </Button>
          <Button size="xs" variant="default" onClick={() => test.mutate()} loading={test.isPending}>
            Send a test event
          </Button>
          <Button size="xs" variant="default" onClick={onEdit}>
            Edit
          </Button>
          <Button size="xs" variant="default" onClick={onRotate}>
            Rotate secret
          </Button>
          {w.enabled ? (
            <ConfirmButton label="Disable" color="orange" title={`Disable ${w.url}?`} confirmLabel="Disable" onConfirm={() => toggle.mutateAsync(false)}>
              No events are sent to it until you enable it again. Events of the meantime are not kept for it.
            </ConfirmButton>
          ) : (
            <Button size="xs" onClick={() => toggle.mutate(true)} loading={toggle.isPending}>
              Enable again
            </Button>
          )}
          <ConfirmButton label="Delete" aria-label={`Delete ${w.url}`} title={`Delete the endpoint ${w.url}?`} confirmLabel="Delete the endpoint" onConfirm={remove}>
            Events queued for it are dropped, and its delivery log goes with it.
          </ConfirmButton>
        </Group>
      </Stack>
    </Paper>
  );
}

function WebhookForm({ webhook, onDone }: { webhook: Webhook | null; onDone: (secret: string | null) => void }) {
  const client = useQueryClient();
  const [url, setUrl] = useState(webhook?.url ?? "");
  const [events, setEvents] = useState<string[]>(webhook?.events ?? ["session.ended"]);
  const [description, setDescription] = useState(webhook?.description ?? "");
  const [checked, setChecked] = useState(false);
  const save = useMutation({
    mutationFn: async (): Promise<string | null> => {
      const body = { url: url.trim(), events: events as EventType[], description: description.trim() };
      if (webhook === null) return (await call(api.POST("/v1/webhooks", { body }))).secret;
      const patch = mergePatch({ url: webhook.url, events: webhook.events, description: webhook.description } as Json, body as unknown as Json);
      if (patch !== undefined) await call(api.PATCH("/v1/webhooks/{webhook_id}", { params: { path: { webhook_id: webhook.id } }, body: patch as Schemas["WebhookPatch"] }));
      return null;
    },
    onSuccess: async (secret) => {
      await client.invalidateQueries({ queryKey: ["tenant", "webhooks"] });
      onDone(secret);
    },
  });
  const urlProblem = URL_OK.test(url.trim()) ? undefined : "An https:// URL of a public host.";
  return (
    <Card withBorder component="section" aria-labelledby="webhook-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setChecked(true);
          if (!urlProblem && events.length) save.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4" id="webhook-form">
            {webhook ? "Edit endpoint" : "New endpoint"}
          </Title>
          <TextInput label="URL" required placeholder="https://example.com/greenroom-events" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldMessage(save.error, "url") ?? (checked ? urlProblem : undefined)} />
          <Checkbox.Group label="Events" value={events} onChange={setEvents} error={fieldMessage(save.error, "events") ?? (events.length ? undefined : "Pick at least one event.")}>
            <Stack gap={6} mt="xs">
              {EVENTS.map((e) => (
                <Checkbox key={e} value={e} label={`${e}: ${EVENT_HELP[e]}`} />
              ))}
            </Stack>
          </Checkbox.Group>
          <TextInput label="Description" value={description} maxLength={fields["WebhookIn.description"].maxLength} onChange={(e) => setDescription(e.currentTarget.value)} />
          {save.isError && <ProblemAlert error={save.error} title={webhook ? "The endpoint was not changed" : "The endpoint was not added"} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onDone(null)}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!events.length}>
              {webhook ? "Save changes" : "Add endpoint"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const GRACE = [
  { value: "0", label: "Stops signing now" },
  { value: "3600", label: "Signs along for 1 hour" },
  { value: "86400", label: "Signs along for 24 hours" },
  { value: "604800", label: "Signs along for 7 days" },
];

function RotateSecret({ webhook, onClose, onRotated }: { webhook: Webhook | null; onClose: () => void; onRotated: (secret: string) => void }) {
  const [grace, setGrace] = useState(String(fields["RotateSecret.grace_s"].default));
  const rotate = useMutation({
    mutationFn: (w: Webhook) => call(api.POST("/v1/webhooks/{webhook_id}/rotate-secret", { params: { path: { webhook_id: w.id } }, body: { grace_s: Number(grace) } })),
    onSuccess: (r) => {
      rotate.reset();
      onRotated(r.secret);
    },
  });
  return (
    <Modal opened={webhook !== null} onClose={onClose} title="Rotate the signing secret?" centered>
      <Stack>
        <Text size="sm">A new secret is made and shown once. The current one can keep signing beside it for a while (messages then carry both signatures), so your receiver can switch without dropping events.</Text>
        <NativeSelect label="The current secret" value={grace} data={GRACE} onChange={(e) => setGrace(e.currentTarget.value)} />
        {rotate.isError && <ProblemAlert error={rotate.error} title="The secret was not rotated" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={rotate.isPending} onClick={() => webhook && rotate.mutate(webhook)}>
            Rotate
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const [outcome, setOutcome] = useState<"" | "succeeded" | "failed">("");
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery({
    queryKey: ["tenant", "webhooks", webhook.id, "deliveries", outcome, cursor],
    queryFn: () =>
      call(
        api.GET("/v1/webhooks/{webhook_id}/deliveries", {
          params: { path: { webhook_id: webhook.id }, query: { limit: 50, cursor, ...(outcome ? { outcome } : {}) } },
        }),
      ),
    refetchInterval: cursors.length === 1 ? 3_000 : false,
  });
  return (
    <Stack>
      <NativeSelect
        label="Outcome"
        value={outcome}
        w={200}
        data={[
          { value: "", label: "Every attempt" },
          { value: "succeeded", label: "Succeeded" },
          { value: "failed", label: "Failed" },
        ]}
        onChange={(e) => {
          setCursors([null]);
          setOutcome(e.currentTarget.value as typeof outcome);
        }}
      />
      <QueryView query={page} what="delivery log" isEmpty={(d) => d.items.length === 0 && cursors.length === 1} empty={<Empty title="No delivery yet">Send a test event to see one.</Empty>}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped data-testid="deliveries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Event</Table.Th>
                    <Table.Th>Attempt</Table.Th>
                    <Table.Th>Outcome</Table.Th>
                    <Table.Th>Answer</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>
                        <Text size="sm">{when(d.attempted_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{d.event_type}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {d.message_id}
                        </Text>
                      </Table.Td>
                      <Table.Td>{d.attempt}</Table.Td>
                      <Table.Td>
                        <Badge color={d.outcome === "succeeded" ? "teal" : "red"} variant="light">
                          {d.outcome}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {d.status_code ?? "no answer"} · {d.duration_ms} ms
                        </Text>
                        {d.error && <Text size="xs">{d.error}</Text>}
                        {d.next_attempt_at && (
                          <Text size="xs" c="dimmed">
                            next try {when(d.next_attempt_at)}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer
              </Button>
              <Button variant="default" size="xs" disabled={data.next_cursor == null} onClick={() => setCursors((c) => [...c, data.next_cursor ?? null])}>
                Older
              </Button>
            </Group>
          </>
        )}
      </QueryView>
    </Stack>
  );
}

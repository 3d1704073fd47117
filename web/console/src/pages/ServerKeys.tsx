import { Badge, Button, Card, Checkbox, Group, Modal, NativeSelect, Stack, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import { type Schemas, serverKeysQuery } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { SecretOnce } from "../components/Copy";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { Empty, QueryView } from "../components/States";
import { when } from "../lib/format";
import { fieldMessage } from "../lib/problem";
import { useSession } from "../shell/session";

type ServerKey = Schemas["ApiKeyOut"];
type Scope = (typeof fields)["ApiKeyIn.scopes"]["enum"][number];

const SCOPES: Record<Scope, string> = {
  "sessions:write": "Start and end sessions",
  "sessions:read": "Read sessions",
  "usage:read": "Read usage and reports",
  admin: "Manage agents, keys, members and webhooks",
};

const GRACE = [
  { value: "0", label: "Stops working now" },
  { value: "3600", label: "Keeps working 1 hour" },
  { value: "86400", label: "Keeps working 24 hours" },
  { value: "604800", label: "Keeps working 7 days" },
];

function status(k: ServerKey): { label: string; color: string } {
  if (k.revoked_at) return { label: `revoked ${when(k.revoked_at)}`, color: "gray" };
  if (k.expires_at) {
    return new Date(k.expires_at).getTime() > Date.now()
      ? { label: `rolled: works until ${when(k.expires_at)}`, color: "yellow" }
      : { label: `expired ${when(k.expires_at)}`, color: "gray" };
  }
  return { label: "active", color: "teal" };
}

export function ServerKeysPage() {
  const keys = useQuery(serverKeysQuery);
  const { canWrite } = useSession();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Schemas["ApiKeyCreated"] | null>(null);
  const [rolling, setRolling] = useState<ServerKey | null>(null);
  const [showOld, setShowOld] = useState(false);
  const revoke = async (k: ServerKey) => {
    await call(api.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: k.id } } }));
    await client.invalidateQueries({ queryKey: ["tenant", "server-keys"] });
  };
  const isOld = (k: ServerKey) => k.revoked_at !== null || (k.expires_at !== null && new Date(k.expires_at).getTime() <= Date.now());
  return (
    <Page
      title="Server keys"
      intro="Your backend starts sessions and reads usage with a server key (Authorization: Bearer gr_sk_…). Keep it on the server: it is shown once, when it is made."
      actions={canWrite && !creating && <Button onClick={() => { setCreating(true); setSecret(null); }}>New server key</Button>}
    >
      {secret && <SecretOnce label="server key" secret={secret.key} onDone={() => setSecret(null)} />}
      {creating && (
        <CreateServerKey
          onCancel={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setSecret(k);
          }}
        />
      )}
      <QueryView
        query={keys}
        what="server keys"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No server key yet">{canWrite ? "Make one for your backend, with only the scopes it needs." : "An owner or admin can make one."}</Empty>}
      >
        {(data) => {
          const oldCount = data.items.filter(isOld).length;
          const shown = data.items.filter((k) => showOld || !isOld(k));
          return (
            <Stack>
              {oldCount > 0 && <Switch label={`Show revoked and expired keys (${oldCount})`} checked={showOld} onChange={(e) => setShowOld(e.currentTarget.checked)} />}
              <Table.ScrollContainer minWidth={760}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Key</Table.Th>
                      <Table.Th>Scopes</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Last used</Table.Th>
                      <Table.Th>
                        <span className="visually-hidden">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((k) => {
                      const s = status(k);
                      return (
                        <Table.Tr key={k.id} data-testid="server-key-row">
                          <Table.Td>
                            <Text fw={500}>{k.label}</Text>
                            <Text size="xs" ff="monospace" c="dimmed">
                              {k.prefix}…
                            </Text>
                            <Text size="xs" c="dimmed">
                              made {when(k.created_at)}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4}>
                              {k.scopes.map((sc) => (
                                <Badge key={sc} variant="light" tt="none">
                                  {sc}
                                </Badge>
                              ))}
                            </Group>
                          </Table.Td>
                          <Table.Td>
                            <Badge color={s.color} variant="light" tt="none">
                              {s.label}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{k.last_used_at ? when(k.last_used_at) : "never"}</Text>
                          </Table.Td>
                          <Table.Td>
                            {canWrite && !k.revoked_at && !k.replaced_by && (
                              <Group gap="xs" wrap="nowrap" justify="flex-end">
                                <Button size="xs" variant="default" onClick={() => setRolling(k)} aria-label={`Roll ${k.label}`}>
                                  Roll
                                </Button>
                                <ConfirmButton label="Revoke" aria-label={`Revoke ${k.label}`} title={`Revoke the server key “${k.label}”?`} confirmLabel="Revoke the key" onConfirm={() => revoke(k)}>
                                  Every request with this key is refused from now on, on every instance. To switch a backend without downtime, roll the key
                                  instead.
                                </ConfirmButton>
                              </Group>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          );
        }}
      </QueryView>
      <RollKey
        serverKey={rolling}
        onClose={() => setRolling(null)}
        onRolled={(k) => {
          setRolling(null);
          setSecret(k);
        }}
      />
    </Page>
  );
}

function CreateServerKey({ onCancel, onCreated }: { onCancel: () => void; onCreated: (k: Schemas["ApiKeyCreated"]) => void }) {
  const client = useQueryClient();
  const [label, setLabel] = useState<string>(fields["ApiKeyIn.label"].default);
  const [scopes, setScopes] = useState<Scope[]>(["sessions:write"]);
  const create = useMutation({
    mutationFn: () => call(api.POST("/v1/api-keys", { body: { label: label.trim(), scopes } })),
    onSuccess: async (k) => {
      await client.invalidateQueries({ queryKey: ["tenant", "server-keys"] });
      onCreated(k);
    },
  });
  return (
    <Card withBorder component="section" aria-labelledby="new-server-key">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (scopes.length) create.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4" id="new-server-key">
            New server key
          </Title>
          <TextInput label="Label" required value={label} maxLength={fields["ApiKeyIn.label"].maxLength} onChange={(e) => setLabel(e.currentTarget.value)} error={fieldMessage(create.error, "label")} />
          <Checkbox.Group
            label="Scopes"
            description="Only what the backend needs: starting sessions needs sessions:write."
            value={scopes}
            onChange={(v) => setScopes(v as Scope[])}
            error={fieldMessage(create.error, "scopes") ?? (scopes.length ? undefined : "Pick at least one scope.")}
          >
            <Stack gap={6} mt="xs">
              {fields["ApiKeyIn.scopes"].enum.map((s) => (
                <Checkbox key={s} value={s} label={`${s}: ${SCOPES[s]}`} />
              ))}
            </Stack>
          </Checkbox.Group>
          {create.isError && <ProblemAlert error={create.error} title="The server key was not made" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!scopes.length}>
              Make server key
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function RollKey({ serverKey, onClose, onRolled }: { serverKey: ServerKey | null; onClose: () => void; onRolled: (k: Schemas["ApiKeyCreated"]) => void }) {
  const client = useQueryClient();
  const [grace, setGrace] = useState(String(fields["ApiKeyRoll.grace_s"].default));
  const roll = useMutation({
    mutationFn: (k: ServerKey) => call(api.POST("/v1/api-keys/{key_id}/roll", { params: { path: { key_id: k.id } }, body: { grace_s: Number(grace) } })),
    onSuccess: async (k) => {
      await client.invalidateQueries({ queryKey: ["tenant", "server-keys"] });
      roll.reset();
      onRolled(k);
    },
  });
  return (
    <Modal opened={serverKey !== null} onClose={onClose} title={`Roll the server key “${serverKey?.label ?? ""}”?`} centered>
      <Stack>
        <Text size="sm">
          A new key with the same label and scopes is made and shown once. The old key keeps working for the time you pick, so your backend can switch
          without downtime; then it stops.
        </Text>
        <NativeSelect label="The old key" value={grace} data={GRACE} onChange={(e) => setGrace(e.currentTarget.value)} />
        {roll.isError && <ProblemAlert error={roll.error} title="The key was not rolled" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={roll.isPending} onClick={() => serverKey && roll.mutate(serverKey)}>
            Roll the key
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

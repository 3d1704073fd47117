import { Alert, Badge, Button, Card, Fieldset, Group, Modal, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import { agentsQuery, type Schemas, widgetKeysQuery } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { EmbedSnippet } from "../components/Snippet";
import { Empty, QueryView } from "../components/States";
import { when } from "../lib/format";
import { type Json, mergePatch } from "../lib/mergePatch";
import { originListProblems, splitOrigins } from "../lib/origins";
import { fieldMessage } from "../lib/problem";
import { useSession } from "../shell/session";

type WidgetKey = Schemas["WidgetKeyOut"];

export function WidgetKeysPage() {
  const keys = useQuery(widgetKeysQuery);
  const agents = useQuery(agentsQuery);
  const { canWrite } = useSession();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<WidgetKey | null>(null);
  const [snippetOf, setSnippetOf] = useState<WidgetKey | null>(null);
  const [editing, setEditing] = useState<WidgetKey | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const client = useQueryClient();
  const agentList = agents.data?.items ?? [];
  const agentName = (id: string | null) => (id ? (agentList.find((a) => a.id === id)?.slug ?? "a deleted agent") : "any agent");
  const revoke = async (k: WidgetKey) => {
    await call(api.DELETE("/v1/widget-keys/{key_id}", { params: { path: { key_id: k.id } } }));
    if (created?.id === k.id) setCreated(null);
    await client.invalidateQueries({ queryKey: ["tenant"] });
  };
  return (
    <Page
      title="Widget keys"
      intro="A widget key lets the pages of your site start conversations in the visitor's browser. It is publishable: it works only on the origins you allow, and only for the agent you pick."
      actions={canWrite && !creating && <Button onClick={() => { setCreating(true); setCreated(null); }}>New widget key</Button>}
    >
      {creating && (
        <WidgetKeyForm
          agents={agentList}
          widgetKey={null}
          onCancel={() => setCreating(false)}
          onSaved={(k) => {
            setCreating(false);
            setCreated(k);
          }}
        />
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? `Widget key “${editing.label}”` : ""} size="xl">
        {editing && <WidgetKeyForm key={editing.id} agents={agentList} widgetKey={editing} onCancel={() => setEditing(null)} onSaved={() => setEditing(null)} />}
      </Modal>
      {created && (
        <Card withBorder component="section" aria-labelledby="created-key">
          <Stack gap="sm">
            <Title order={2} size="h4" id="created-key">
              Widget key “{created.label}” created: put it on your page
            </Title>
            <EmbedSnippet widgetKey={created} agents={agentList} />
            <Group>
              <Button variant="default" size="xs" onClick={() => setCreated(null)}>
                Done
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <QueryView
        query={keys}
        what="widget keys"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No widget key yet">{canWrite ? "Create one for your site's origin to get the embed snippet." : "An owner or admin can create one."}</Empty>}
      >
        {(data) => {
          const revokedCount = data.items.filter((k) => k.revoked_at).length;
          const shown = data.items.filter((k) => showRevoked || !k.revoked_at);
          return (
            <Stack>
              {revokedCount > 0 && (
                <Switch label={`Show revoked keys (${revokedCount})`} checked={showRevoked} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
              )}
              {shown.length === 0 ? (
                <Empty title="No active widget key" />
              ) : (
                <SimpleGrid cols={{ base: 1, lg: 2 }} component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="Widget keys">
                  {shown.map((k) => (
                    <Paper key={k.id} withBorder p="md" component="li" data-testid="widget-key-row" opacity={k.revoked_at ? 0.7 : 1}>
                      <Stack gap="xs">
                        <Group justify="space-between" align="flex-start" wrap="nowrap">
                          <Stack gap={2}>
                            <Text fw={600}>{k.label}</Text>
                            <Text size="xs" ff="monospace" style={{ wordBreak: "break-all" }}>
                              {k.key}
                            </Text>
                          </Stack>
                          {k.revoked_at ? (
                            <Badge color="gray" tt="none" style={{ flexShrink: 0 }}>
                              revoked {when(k.revoked_at)}
                            </Badge>
                          ) : (
                            <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
                              <Button size="xs" variant="default" onClick={() => setSnippetOf(k)} aria-label={`Embed snippet of ${k.label}`}>
                                Snippet
                              </Button>
                              {canWrite && (
                                <Button size="xs" variant="default" onClick={() => setEditing(k)} aria-label={`Edit ${k.label}`}>
                                  Edit
                                </Button>
                              )}
                              {canWrite && (
                                <ConfirmButton
                                  label="Revoke"
                                  aria-label={`Revoke ${k.label}`}
                                  title={`Revoke the widget key “${k.label}”?`}
                                  confirmLabel="Revoke the key"
                                  onConfirm={() => revoke(k)}
                                >
                                  Pages that use it can no longer start conversations, from their next request on, on every instance. Conversations running now go
                                  on until they end. This cannot be undone: a new key needs a new snippet.
                                </ConfirmButton>
                              )}
                            </Group>
                          )}
                        </Group>
                        <div>
                          <Text size="xs" c="dimmed">
                            Allowed origins
                          </Text>
                          {k.allowed_origins.map((o) => (
                            <Text key={o} size="sm" ff="monospace" style={{ wordBreak: "break-all" }}>
                              {o}
                            </Text>
                          ))}
                        </div>
                        {(k.rate_per_minute ?? k.visitor_rate_per_minute ?? k.max_concurrent_sessions) !== null && (
                          <Text size="xs">
                            Limits:{" "}
                            {[
                              k.rate_per_minute !== null && `${k.rate_per_minute} new sessions a minute`,
                              k.visitor_rate_per_minute !== null && `${k.visitor_rate_per_minute} a minute per visitor`,
                              k.max_concurrent_sessions !== null && `${k.max_concurrent_sessions} at once`,
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </Text>
                        )}
                        <Text size="sm">
                          <Text span size="xs" c="dimmed">
                            Agent:{" "}
                          </Text>
                          {agentName(k.agent_id)}
                          <Text span size="xs" c="dimmed">
                            {" "}
                            · made {when(k.created_at)}
                          </Text>
                        </Text>
                      </Stack>
                    </Paper>
                  ))}
                </SimpleGrid>
              )}
            </Stack>
          );
        }}
      </QueryView>
      <Modal opened={snippetOf !== null} onClose={() => setSnippetOf(null)} title={`Embed snippet: ${snippetOf?.label ?? ""}`} size="lg">
        {snippetOf && <EmbedSnippet widgetKey={snippetOf} agents={agentList} />}
      </Modal>
    </Page>
  );
}

type Limit = "rate_per_minute" | "visitor_rate_per_minute" | "max_concurrent_sessions";
const LIMITS: { key: Limit; label: string; none: string }[] = [
  { key: "rate_per_minute", label: "New sessions a minute with this key", none: "the server's default" },
  { key: "visitor_rate_per_minute", label: "New sessions a minute per visitor", none: "the server's default" },
  { key: "max_concurrent_sessions", label: "Live sessions at once with this key", none: "no limit of its own" },
];

/** Create a widget key, or change one (a merge patch of what changed: label, origins, agent, limits). */
function WidgetKeyForm({
  agents,
  widgetKey,
  onCancel,
  onSaved,
}: {
  agents: readonly Schemas["AgentOut"][];
  widgetKey: WidgetKey | null;
  onCancel: () => void;
  onSaved: (k: WidgetKey) => void;
}) {
  const client = useQueryClient();
  const slugOf = (id: string | null) => (id ? (agents.find((a) => a.id === id)?.slug ?? "") : "");
  const [label, setLabel] = useState<string>(widgetKey?.label ?? fields["WidgetKeyIn.label"].default);
  const [originsText, setOriginsText] = useState(widgetKey?.allowed_origins.join("\n") ?? "");
  const [agent, setAgent] = useState(widgetKey ? slugOf(widgetKey.agent_id) : agents.length === 1 ? (agents[0]?.slug ?? "") : "");
  const [limits, setLimits] = useState<Record<Limit, number | null>>({
    rate_per_minute: widgetKey?.rate_per_minute ?? null,
    visitor_rate_per_minute: widgetKey?.visitor_rate_per_minute ?? null,
    max_concurrent_sessions: widgetKey?.max_concurrent_sessions ?? null,
  });
  const [checked, setChecked] = useState(false);
  const origins = splitOrigins(originsText);
  const problems = originListProblems(origins);
  const save = useMutation({
    mutationFn: async (): Promise<WidgetKey> => {
      const body = { label: label.trim(), allowed_origins: origins, agent: agent || null, ...limits };
      if (widgetKey === null) return call(api.POST("/v1/widget-keys", { body }));
      const before = {
        label: widgetKey.label,
        allowed_origins: widgetKey.allowed_origins,
        agent: slugOf(widgetKey.agent_id) || null,
        rate_per_minute: widgetKey.rate_per_minute,
        visitor_rate_per_minute: widgetKey.visitor_rate_per_minute,
        max_concurrent_sessions: widgetKey.max_concurrent_sessions,
      };
      const patch = mergePatch(before as Json, body as Json);
      if (patch === undefined) return widgetKey;
      return call(api.PATCH("/v1/widget-keys/{key_id}", { params: { path: { key_id: widgetKey.id } }, body: patch as Schemas["WidgetKeyPatch"] }));
    },
    onSuccess: async (k) => {
      await client.invalidateQueries({ queryKey: ["tenant"] });
      onSaved(k);
    },
  });
  const id = widgetKey ? `edit-${widgetKey.id}` : "new-widget-key";
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setChecked(true);
          if (problems.length === 0) save.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h4" id={id}>
            {widgetKey ? `Change the widget key “${widgetKey.label}”` : "New widget key"}
          </Title>
          <TextInput label="Label" required value={label} maxLength={fields["WidgetKeyIn.label"].maxLength} onChange={(e) => setLabel(e.currentTarget.value)} error={fieldMessage(save.error, "label")} />
          <Textarea
            label="Allowed origins"
            description="The origins of the pages that embed the widget, one per line, as the browser sends them: scheme://host[:port], no path — e.g. https://shop.example."
            required
            autosize
            minRows={2}
            value={originsText}
            onChange={(e) => setOriginsText(e.currentTarget.value)}
            onBlur={() => setChecked(true)}
            error={fieldMessage(save.error, "allowed_origins") ?? (checked && problems.length ? problems.join(" ") : undefined)}
          />
          <NativeSelect
            label="Agent"
            description="Restrict the key to one agent, or let pages start any agent by its slug."
            value={agent}
            data={[{ value: "", label: "Any agent" }, ...agents.map((a) => ({ value: a.slug, label: `${a.name} (${a.slug})` }))]}
            onChange={(e) => setAgent(e.currentTarget.value)}
            error={fieldMessage(save.error, "agent")}
          />
          <Fieldset legend="Limits (leave empty for the default)">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              {LIMITS.map((l) => (
                <NumberInput
                  key={l.key}
                  label={l.label}
                  placeholder={l.none}
                  min={fields[`WidgetKeyIn.${l.key}`].minimum}
                  max={fields[`WidgetKeyIn.${l.key}`].maximum}
                  allowDecimal={false}
                  allowNegative={false}
                  value={limits[l.key] ?? ""}
                  onChange={(v) => setLimits({ ...limits, [l.key]: v === "" ? null : typeof v === "number" ? v : Number.parseInt(v, 10) || null })}
                  error={fieldMessage(save.error, l.key)}
                />
              ))}
            </SimpleGrid>
          </Fieldset>
          {!widgetKey && agents.length === 0 && (
            <Alert color="yellow">There is no agent yet: the key works once you create one, but the snippet needs an agent's slug.</Alert>
          )}
          {widgetKey && <Text size="xs" c="dimmed">The next request with the key, on every instance, meets the new settings; live sessions go on.</Text>}
          {save.isError && <ProblemAlert error={save.error} title={widgetKey ? "The widget key was not changed" : "The widget key was not created"} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {widgetKey ? "Save changes" : "Create widget key"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

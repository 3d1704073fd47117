import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  Drawer,
  Fieldset,
  Group,
  JsonInput,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import { agentsQuery, credentialsQuery, type Schemas } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { Empty, QueryView } from "../components/States";
import {
  type AgentDraft,
  createBody,
  defaultSemanticVad,
  defaultServerVad,
  defaultTranscription,
  draftOf,
  newDraft,
  parseTools,
  patchBody,
  slugify,
  type TurnDetection,
} from "../lib/agentForm";
import { missingForEngine } from "../lib/checklist";
import { when } from "../lib/format";
import { fieldMessage } from "../lib/problem";
import { providerName } from "../lib/providers";
import { useSession } from "../shell/session";

type Agent = Schemas["AgentOut"];
type Editing = { mode: "create" } | { mode: "edit"; agent: Agent } | null;

export function AgentsPage() {
  const agents = useQuery(agentsQuery);
  const { canWrite } = useSession();
  const [editing, setEditing] = useState<Editing>(null);
  const client = useQueryClient();
  const remove = async (agent: Agent) => {
    await call(api.DELETE("/v1/agents/{agent_id}", { params: { path: { agent_id: agent.id } } }));
    await client.invalidateQueries({ queryKey: ["tenant"] });
  };
  return (
    <Page
      title="Agents"
      intro="An agent is what a visitor talks to: a voice engine with its instructions, and an avatar. Pages and backends start sessions by the agent's slug."
      actions={canWrite && <Button onClick={() => setEditing({ mode: "create" })}>New agent</Button>}
    >
      <QueryView
        query={agents}
        what="agents"
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No agent yet">{canWrite ? "Create one: it needs a name, an engine and an avatar; the defaults work." : "An owner or admin can create one."}</Empty>}
      >
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Agent</Table.Th>
                  <Table.Th>Engine</Table.Th>
                  <Table.Th>Avatar</Table.Th>
                  <Table.Th>Changed</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((a) => (
                  <Table.Tr key={a.id} data-testid="agent-row">
                    <Table.Td>
                      <Text fw={500}>{a.name}</Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {a.slug}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {a.engine.type === "cartesia" ? (
                        <Text size="sm">Cartesia · {a.engine.agent_id}</Text>
                      ) : (
                        <Text size="sm">OpenAI Realtime · {a.engine.voice ?? "marin"}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{a.avatar.avatar_id}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{when(a.updated_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Button size="xs" variant="default" onClick={() => setEditing({ mode: "edit", agent: a })} aria-label={`${canWrite ? "Edit" : "View"} ${a.name}`}>
                          {canWrite ? "Edit" : "View"}
                        </Button>
                        {canWrite && (
                          <ConfirmButton
                            label="Delete"
                            aria-label={`Delete ${a.name}`}
                            title={`Delete the agent “${a.name}”?`}
                            confirmLabel="Delete the agent"
                            onConfirm={() => remove(a)}
                          >
                            Pages and backends can no longer start sessions with <b>{a.slug}</b>. Sessions running now go on; their history keeps the
                            slug.
                          </ConfirmButton>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size="xl"
        title={editing?.mode === "edit" ? `Agent ${editing.agent.slug}` : "New agent"}
      >
        {editing && (
          <AgentForm
            key={editing.mode === "edit" ? editing.agent.id : "new"}
            agent={editing.mode === "edit" ? editing.agent : null}
            readOnly={!canWrite}
            onDone={() => setEditing(null)}
          />
        )}
      </Drawer>
    </Page>
  );
}

const VOICES = fields["OpenAIRealtimeEngine.voice"].enum;
const num = (v: string | number, fallback: number) => (typeof v === "number" ? v : Number.parseFloat(v) || fallback);

function AgentForm({ agent, readOnly, onDone }: { agent: Agent | null; readOnly: boolean; onDone: () => void }) {
  const client = useQueryClient();
  const credentials = useQuery(credentialsQuery);
  const [draft, setDraft] = useState<AgentDraft>(() => (agent ? draftOf(agent) : newDraft()));
  const [slugTouched, setSlugTouched] = useState(agent !== null);
  const [unchanged, setUnchanged] = useState(false);
  const set = (change: Partial<AgentDraft>) => {
    setUnchanged(false);
    setDraft((d) => ({ ...d, ...change }));
  };
  const setOpenAI = (change: Partial<AgentDraft["openai"]>) => set({ openai: { ...draft.openai, ...change } });
  const setAvatar = (change: Partial<AgentDraft["avatar"]>) => set({ avatar: { ...draft.avatar, ...change } });
  const tools = parseTools(draft.toolsText);
  const slugOk = new RegExp(fields["AgentSpec.slug"].pattern).test(draft.slug);

  const save = useMutation({
    mutationFn: async (): Promise<boolean> => {
      if ("problem" in tools) throw new Error(tools.problem);
      if (agent === null) {
        await call(api.POST("/v1/agents", { body: createBody(draft, tools.tools) }));
        return true;
      }
      const patch = patchBody(agent, draft, tools.tools);
      if (patch === undefined) return false; // a merge patch of nothing: nothing to send
      await call(api.PATCH("/v1/agents/{agent_id}", { params: { path: { agent_id: agent.id } }, body: patch }));
      return true;
    },
    onSuccess: async (changed) => {
      if (!changed) {
        setUnchanged(true);
        return;
      }
      await client.invalidateQueries({ queryKey: ["tenant"] });
      onDone();
    },
  });
  const err = save.error;
  const missing = credentials.data ? missingForEngine(credentials.data.items, draft.engineType) : [];
  const td: TurnDetection = draft.openai.turn_detection?.type ?? "off";

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!readOnly) save.mutate();
      }}
    >
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack>
          {readOnly && <Alert color="gray">Your role can see agents but not change them.</Alert>}
          <TextInput
            label="Name"
            required
            value={draft.name}
            maxLength={fields["AgentSpec.name"].maxLength}
            onChange={(e) => {
              const name = e.currentTarget.value;
              set(slugTouched ? { name } : { name, slug: slugify(name) });
            }}
            error={fieldMessage(err, "name")}
          />
          <TextInput
            label="Slug"
            description={agent ? "The slug cannot change: pages and backends use it." : "What pages and backends name the agent by: lower-case letters, digits and dashes."}
            required
            readOnly={agent !== null}
            value={draft.slug}
            onChange={(e) => {
              setSlugTouched(true);
              set({ slug: e.currentTarget.value });
            }}
            error={fieldMessage(err, "slug") ?? (draft.slug && !slugOk ? "Lower-case letters, digits and dashes; starts with a letter or digit." : undefined)}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          />
          <Fieldset legend="Engine">
            <Stack>
              <SegmentedControl
                aria-label="Engine"
                value={draft.engineType}
                onChange={(v) => set({ engineType: v as AgentDraft["engineType"] })}
                data={[
                  { value: "openai-realtime", label: "OpenAI Realtime" },
                  { value: "cartesia", label: "Cartesia" },
                ]}
                disabled={readOnly}
              />
              {missing.length > 0 && (
                <Alert color="yellow" title="Keys missing for this engine">
                  Sessions of this agent are refused until you add {missing.map(providerName).join(" and ")}{" "}
                  <Anchor component={Link} to="/keys/providers">
                    provider keys
                  </Anchor>
                  .
                </Alert>
              )}
              {draft.engineType === "cartesia" ? (
                <TextInput
                  label="Cartesia agent id"
                  description="The id of your Cartesia Line agent."
                  required
                  value={draft.cartesia.agent_id}
                  maxLength={fields["CartesiaEngine.agent_id"].maxLength}
                  onChange={(e) => set({ cartesia: { type: "cartesia", agent_id: e.currentTarget.value } })}
                  error={fieldMessage(err, "engine.agent_id")}
                />
              ) : (
                <>
                  <Group grow align="flex-start">
                    <TextInput
                      label="Model"
                      value={draft.openai.model}
                      onChange={(e) => setOpenAI({ model: e.currentTarget.value })}
                      error={
                        fieldMessage(err, "engine.model") ??
                        (new RegExp(fields["OpenAIRealtimeEngine.model"].pattern).test(draft.openai.model) ? undefined : "A gpt-realtime model.")
                      }
                    />
                    <NativeSelect label="Voice" value={draft.openai.voice} data={[...VOICES]} onChange={(e) => setOpenAI({ voice: e.currentTarget.value as (typeof VOICES)[number] })} />
                    <NumberInput
                      label="Speed"
                      min={fields["OpenAIRealtimeEngine.speed"].minimum}
                      max={fields["OpenAIRealtimeEngine.speed"].maximum}
                      step={0.05}
                      decimalScale={2}
                      value={draft.openai.speed}
                      onChange={(v) => setOpenAI({ speed: num(v, 1) })}
                      error={fieldMessage(err, "engine.speed")}
                    />
                  </Group>
                  <Textarea
                    label="Instructions"
                    description="How the agent behaves: its role, tone and limits."
                    autosize
                    minRows={4}
                    maxRows={14}
                    maxLength={fields["OpenAIRealtimeEngine.instructions"].maxLength}
                    value={draft.openai.instructions}
                    onChange={(e) => setOpenAI({ instructions: e.currentTarget.value })}
                    error={fieldMessage(err, "engine.instructions")}
                  />
                  <JsonInput
                    label="Tools"
                    description='Functions the agent may call, as JSON: [{"name": "lookup_order", "description": "…", "parameters": {JSON Schema}}].'
                    autosize
                    minRows={3}
                    maxRows={14}
                    formatOnBlur
                    value={draft.toolsText}
                    onChange={(v) => set({ toolsText: v })}
                    error={"problem" in tools ? tools.problem : fieldMessage(err, "engine.tools")}
                  />
                  <Group grow align="flex-start">
                    <NativeSelect
                      label="Tool choice"
                      value={draft.openai.tool_choice}
                      data={[...fields["OpenAIRealtimeEngine.tool_choice"].enum]}
                      onChange={(e) => setOpenAI({ tool_choice: e.currentTarget.value as AgentDraft["openai"]["tool_choice"] })}
                    />
                    <NativeSelect
                      label="Turn detection"
                      value={td}
                      data={[
                        { value: "server_vad", label: "Server VAD (silence)" },
                        { value: "semantic_vad", label: "Semantic VAD" },
                        { value: "off", label: "Off" },
                      ]}
                      onChange={(e) => {
                        const v = e.currentTarget.value as TurnDetection;
                        setOpenAI({ turn_detection: v === "off" ? null : v === "semantic_vad" ? defaultSemanticVad() : defaultServerVad() });
                      }}
                    />
                  </Group>
                  {draft.openai.turn_detection?.type === "server_vad" && (
                    <ServerVadFields value={draft.openai.turn_detection} onChange={(turn_detection) => setOpenAI({ turn_detection })} />
                  )}
                  {draft.openai.turn_detection?.type === "semantic_vad" && (
                    <NativeSelect
                      label="Eagerness"
                      value={draft.openai.turn_detection.eagerness ?? "auto"}
                      data={[...fields["SemanticVad.eagerness"].enum]}
                      onChange={(e) => setOpenAI({ turn_detection: { type: "semantic_vad", eagerness: e.currentTarget.value as "auto" } })}
                    />
                  )}
                  <Switch
                    label="Transcribe the visitor's speech"
                    checked={draft.openai.transcription !== null}
                    onChange={(e) => setOpenAI({ transcription: e.currentTarget.checked ? defaultTranscription() : null })}
                  />
                  {draft.openai.transcription && (
                    <Group grow align="flex-start">
                      <NativeSelect
                        label="Transcription model"
                        value={draft.openai.transcription.model ?? fields["Transcription.model"].default}
                        data={[...fields["Transcription.model"].enum]}
                        onChange={(e) => setOpenAI({ transcription: { ...defaultTranscription(), ...draft.openai.transcription, model: e.currentTarget.value as "whisper-1" } })}
                      />
                      <TextInput
                        label="Language"
                        description="Two letters, e.g. en; empty: detect."
                        value={draft.openai.transcription.language ?? ""}
                        onChange={(e) => setOpenAI({ transcription: { ...defaultTranscription(), ...draft.openai.transcription, language: e.currentTarget.value || null } })}
                        error={fieldMessage(err, "engine.transcription")}
                      />
                    </Group>
                  )}
                </>
              )}
            </Stack>
          </Fieldset>
          <Fieldset legend="Avatar">
            <Stack>
              <Group grow align="flex-start">
                <TextInput
                  label="Avatar id"
                  value={draft.avatar.avatar_id}
                  maxLength={fields["AvatarSettings.avatar_id"].maxLength}
                  onChange={(e) => setAvatar({ avatar_id: e.currentTarget.value })}
                  error={fieldMessage(err, "avatar.avatar_id")}
                />
                <NativeSelect label="Background" value={draft.avatar.background} data={[...fields["AvatarSettings.background"].enum]} onChange={(e) => setAvatar({ background: e.currentTarget.value as "default" })} />
                <NativeSelect label="Render model" value={draft.avatar.render_model} data={[...fields["AvatarSettings.render_model"].enum]} onChange={(e) => setAvatar({ render_model: e.currentTarget.value as "delta" })} />
              </Group>
              <Group grow align="flex-start">
                <NumberInput
                  label="Absent timeout (s)"
                  description="The provider ends a session when nobody is there this long."
                  min={fields["AvatarSettings.user_absent_timeout"].minimum}
                  max={fields["AvatarSettings.user_absent_timeout"].maximum}
                  allowDecimal={false}
                  value={draft.avatar.user_absent_timeout}
                  onChange={(v) => setAvatar({ user_absent_timeout: num(v, 60) })}
                  error={fieldMessage(err, "avatar.user_absent_timeout")}
                />
                <NumberInput
                  label="Longest session (s)"
                  min={fields["AvatarSettings.max_duration"].minimum}
                  max={fields["AvatarSettings.max_duration"].maximum}
                  allowDecimal={false}
                  value={draft.avatar.max_duration}
                  onChange={(v) => setAvatar({ max_duration: num(v, 3600) })}
                  error={fieldMessage(err, "avatar.max_duration")}
                />
              </Group>
            </Stack>
          </Fieldset>
          {save.isError && <ProblemAlert error={save.error} title={agent ? "The agent was not changed" : "The agent was not created"} />}
          {unchanged && (
            <Alert color="gray" role="status">
              Nothing changed: nothing was sent.
            </Alert>
          )}
          {!readOnly && (
            <>
              <Divider />
              <Group justify="flex-end">
                <Button variant="default" onClick={onDone}>
                  Cancel
                </Button>
                <Button type="submit" loading={save.isPending} disabled={!draft.name.trim() || !slugOk || "problem" in tools}>
                  {agent ? "Save changes" : "Create agent"}
                </Button>
              </Group>
            </>
          )}
          {agent && (
            <Text size="xs" c="dimmed">
              Changes apply to sessions started afterwards. Created {when(agent.created_at)}. <Badge size="xs" variant="light">{agent.id}</Badge>
            </Text>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}

function ServerVadFields({ value, onChange }: { value: Schemas["ServerVad"]; onChange: (v: Schemas["ServerVad"]) => void }) {
  return (
    <Group grow align="flex-start">
      <NumberInput
        label="Threshold"
        min={fields["ServerVad.threshold"].minimum}
        max={fields["ServerVad.threshold"].maximum}
        step={0.05}
        decimalScale={2}
        value={value.threshold ?? fields["ServerVad.threshold"].default}
        onChange={(v) => onChange({ ...value, threshold: num(v, 0.5) })}
      />
      <NumberInput
        label="Prefix padding (ms)"
        min={0}
        max={fields["ServerVad.prefix_padding_ms"].maximum}
        allowDecimal={false}
        value={value.prefix_padding_ms ?? fields["ServerVad.prefix_padding_ms"].default}
        onChange={(v) => onChange({ ...value, prefix_padding_ms: num(v, 300) })}
      />
      <NumberInput
        label="Silence (ms)"
        min={0}
        max={fields["ServerVad.silence_duration_ms"].maximum}
        allowDecimal={false}
        value={value.silence_duration_ms ?? fields["ServerVad.silence_duration_ms"].default}
        onChange={(v) => onChange({ ...value, silence_duration_ms: num(v, 500) })}
      />
    </Group>
  );
}

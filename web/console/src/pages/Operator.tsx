import { Alert, Anchor, Badge, Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import type { Schemas } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { QueryView } from "../components/States";
import { duration, minutes, when } from "../lib/format";
import { type Json, mergePatch } from "../lib/mergePatch";
import { fieldMessage } from "../lib/problem";
import { monthRange, thisMonth, usageByTenant } from "../lib/report";
import { useSession } from "../shell/session";

type Tenant = Schemas["TenantOut"];
type Limits = Pick<Tenant, "max_concurrent_sessions" | "max_session_s" | "monthly_minutes" | "billing_rounding">;

const tenantsQuery = { queryKey: ["operator", "tenants"], queryFn: () => call(api.GET("/v1/operator/tenants")) };

export function OperatorPage() {
  const { me } = useSession();
  const tenants = useQuery({ ...tenantsQuery, enabled: me.operator });
  const [month, setMonth] = useState(thisMonth());
  const { from, to } = monthRange(/^\d{4}-\d{2}$/.test(month) ? month : thisMonth());
  const usage = useQuery({
    queryKey: ["operator", "usage", from, to],
    queryFn: async () => usageByTenant(await call(api.GET("/v1/operator/reports/usage", { params: { query: { from, to } } }))),
    enabled: me.operator,
  });
  const [editing, setEditing] = useState<Tenant | null>(null);
  if (!me.operator) {
    return (
      <Page title="Operator">
        <Text>Only operator accounts see this page.</Text>
      </Page>
    );
  }
  return (
    <Page
      title="Operator"
      intro="Every tenant of this deployment with its usage and limits. Suspending a tenant ends its live sessions at once and refuses new ones; its members keep reading their usage."
      actions={
        <Group align="flex-end">
          <TextInput type="month" label="Month" value={month} onChange={(e) => setMonth(e.currentTarget.value || thisMonth())} w={180} />
          <Anchor href={`/v1/operator/reports/usage?${new URLSearchParams({ from, to, format: "csv" }).toString()}`} download mb={8}>
            Usage of every tenant (CSV)
          </Anchor>
        </Group>
      }
    >
      <QueryView query={tenants} what="tenants">
        {(data) => (
          <Table.ScrollContainer minWidth={900}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tenant</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Sessions in {month}</Table.Th>
                  <Table.Th ta="right">Billed minutes</Table.Th>
                  <Table.Th>Limits</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((t) => (
                  <TenantRow key={t.id} tenant={t} usage={usage.data?.get(t.id)} onEdit={() => setEditing(t)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      {usage.isError && <ProblemAlert error={usage.error} title="This month's usage could not be loaded" />}
      <ParkedJobs names={new Map((tenants.data?.items ?? []).map((t) => [t.id, t.name]))} />
      <LimitsForm tenant={editing} onClose={() => setEditing(null)} />
    </Page>
  );
}

function limitsText(t: Limits): string {
  return [
    t.monthly_minutes === null ? "no minute budget" : `${t.monthly_minutes} min a month`,
    t.max_concurrent_sessions === null ? "no concurrency limit" : `${t.max_concurrent_sessions} at once`,
    t.max_session_s === null ? "default longest session" : `sessions up to ${duration(t.max_session_s)}`,
    `billed per ${t.billing_rounding}`,
  ].join(" · ");
}

function TenantRow({ tenant: t, usage, onEdit }: { tenant: Tenant; usage: { sessions: number; billed_seconds: number } | undefined; onEdit: () => void }) {
  const client = useQueryClient();
  const [ended, setEnded] = useState<number | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["operator"] });
  const suspend = async () => {
    const done = await call(api.POST("/v1/operator/tenants/{tenant_id}/suspend", { params: { path: { tenant_id: t.id } } }));
    setEnded(done.sessions_ended);
    client.setQueryData(tenantsQuery.queryKey, (old: Schemas["TenantList"] | undefined) =>
      old ? { items: old.items.map((x) => (x.id === t.id ? done.tenant : x)) } : old,
    );
    void refresh();
  };
  const resume = useMutation({
    mutationFn: () => call(api.POST("/v1/operator/tenants/{tenant_id}/resume", { params: { path: { tenant_id: t.id } } })),
    onSuccess: () => {
      setEnded(null);
      return refresh();
    },
  });
  const suspended = t.status === "suspended";
  return (
    <Table.Tr data-testid="tenant-row" data-tenant-id={t.id}>
      <Table.Td>
        <Text fw={500}>{t.name}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {t.slug}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={suspended ? "red" : "teal"} variant="light">
          {t.status}
        </Badge>
        {ended !== null && (
          <Text size="xs" role="status">
            {ended === 1 ? "1 live session ended" : `${ended} live sessions ended`}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">{usage ? usage.sessions : "…"}</Table.Td>
      <Table.Td ta="right">{usage ? minutes(usage.billed_seconds) : "…"}</Table.Td>
      <Table.Td>
        <Text size="sm">{limitsText(t)}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" justify="flex-end">
          <Button size="xs" variant="default" onClick={onEdit} aria-label={`Limits of ${t.name}`}>
            Limits
          </Button>
          {suspended ? (
            <Button size="xs" onClick={() => resume.mutate()} loading={resume.isPending} aria-label={`Resume ${t.name}`}>
              Resume
            </Button>
          ) : (
            <ConfirmButton label="Suspend" aria-label={`Suspend ${t.name}`} title={`Suspend ${t.name}?`} confirmLabel="Suspend the tenant" onConfirm={suspend}>
              Every live session of {t.name} ends now, and new sessions are refused until you resume it. Its members can still sign in and read their usage.
            </ConfirmButton>
          )}
        </Group>
        {resume.isError && <ProblemAlert error={resume.error} />}
      </Table.Td>
    </Table.Tr>
  );
}

type Draft = { [K in keyof Limits]: Limits[K] };

function LimitsForm({ tenant, onClose }: { tenant: Tenant | null; onClose: () => void }) {
  return (
    <Modal opened={tenant !== null} onClose={onClose} title={tenant ? `Limits of ${tenant.name}` : ""} centered size="lg">
      {tenant && <LimitsFields key={tenant.id} tenant={tenant} onClose={onClose} />}
    </Modal>
  );
}

function LimitsFields({ tenant, onClose }: { tenant: Tenant; onClose: () => void }) {
  const client = useQueryClient();
  const before: Draft = {
    max_concurrent_sessions: tenant.max_concurrent_sessions,
    max_session_s: tenant.max_session_s,
    monthly_minutes: tenant.monthly_minutes,
    billing_rounding: tenant.billing_rounding,
  };
  const [draft, setDraft] = useState<Draft>(before);
  const save = useMutation({
    mutationFn: async () => {
      const patch = mergePatch(before as unknown as Json, draft as unknown as Json);
      if (patch === undefined) return;
      await call(api.PATCH("/v1/operator/tenants/{tenant_id}", { params: { path: { tenant_id: tenant.id } }, body: patch as Schemas["LimitsPatch"] }));
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["operator"] });
      onClose();
    },
  });
  const limit = (key: "max_concurrent_sessions" | "max_session_s" | "monthly_minutes", label: string, none: string, fallback: number) => {
    const bounds = fields[`LimitsPatch.${key}`];
    const value = draft[key];
    return (
      <Group align="flex-end" wrap="nowrap">
        <NumberInput
          label={label}
          min={bounds.minimum}
          max={bounds.maximum}
          allowDecimal={false}
          disabled={value === null}
          value={value ?? ""}
          onChange={(v) => setDraft({ ...draft, [key]: typeof v === "number" ? v : Number.parseInt(v, 10) || bounds.minimum })}
          error={fieldMessage(save.error, key)}
          style={{ flex: 1 }}
        />
        <Checkbox label={none} checked={value === null} onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.checked ? null : fallback })} mb={8} />
      </Group>
    );
  };
  return (
    <Stack>
      {limit("monthly_minutes", "Minute budget per month", "No budget", 1000)}
      {limit("max_concurrent_sessions", "Sessions at once", "No limit", 10)}
      {limit("max_session_s", "Longest session (s)", "Default", 3600)}
      <NativeSelect
        label="Billing"
        value={draft.billing_rounding}
        data={fields["LimitsPatch.billing_rounding"].enum.map((r) => ({ value: r, label: r === "minute" ? "per started minute" : "per second" }))}
        onChange={(e) => setDraft({ ...draft, billing_rounding: e.currentTarget.value })}
      />
      <Alert color="gray">A lower budget or concurrency limit refuses new sessions; it does not end the ones running.</Alert>
      {save.isError && <ProblemAlert error={save.error} title="The limits were not changed" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save limits
        </Button>
      </Group>
    </Stack>
  );
}


const jobsQuery = { queryKey: ["operator", "jobs"], queryFn: () => call(api.GET("/v1/operator/jobs", { params: { query: { limit: 100 } } })) };

/** Jobs that kept failing and were parked (a provider DELETE, a webhook delivery), to put back in the queue. */
function ParkedJobs({ names }: { names: Map<string, string> }) {
  const jobs = useQuery(jobsQuery);
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: (ids: number[]) => call(api.POST("/v1/operator/jobs/retry", { body: { ids } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["operator", "jobs"] }),
  });
  return (
    <Stack component="section" aria-labelledby="parked-jobs" gap="xs">
      <Group justify="space-between">
        <Title order={2} size="h4" id="parked-jobs">
          Parked jobs
        </Title>
        {jobs.data && jobs.data.items.length > 1 && (
          <Button size="xs" variant="default" loading={retry.isPending} onClick={() => retry.mutate(jobs.data.items.map((j) => j.id))}>
            Retry all {jobs.data.items.length}
          </Button>
        )}
      </Group>
      {retry.isSuccess && (
        <Text size="sm" role="status">
          {retry.data.retried.length} job(s) back in the queue.
        </Text>
      )}
      {retry.isError && <ProblemAlert error={retry.error} title="Nothing was retried" />}
      <QueryView query={jobs} what="parked jobs" isEmpty={(d) => d.items.length === 0} empty={<Text size="sm" c="dimmed">No parked job: every job went through.</Text>}>
        {(data) => (
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="parked-jobs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Job</Table.Th>
                  <Table.Th>Tenant</Table.Th>
                  <Table.Th ta="right">Attempts</Table.Th>
                  <Table.Th>Last error</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((j) => (
                  <Table.Tr key={j.id}>
                    <Table.Td>
                      <Text size="sm">{j.kind}</Text>
                      <Text size="xs" c="dimmed">
                        #{j.id} · {when(j.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{names.get(j.tenant_id) ?? j.tenant_id.slice(0, 8)}</Table.Td>
                    <Table.Td ta="right">{j.attempts}</Table.Td>
                    <Table.Td>
                      <Text size="xs" style={{ wordBreak: "break-word" }}>
                        {j.last_error ?? "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => retry.mutate([j.id])} aria-label={`Retry job ${j.id}`}>
                        Retry
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
    </Stack>
  );
}

import { Alert, Badge, Button, Card, Code, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import { credentialsQuery, type Schemas } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { QueryView } from "../components/States";
import { when } from "../lib/format";
import { fieldMessage } from "../lib/problem";
import { PROVIDER_ORDER, PROVIDERS, type Provider } from "../lib/providers";
import { useSession } from "../shell/session";

type Credential = Schemas["CredentialOut"];

export function ProviderKeysPage() {
  const credentials = useQuery(credentialsQuery);
  const { me } = useSession();
  const dev = me.dev_hint;
  return (
    <Page
      title="Provider keys"
      intro="Greenroom starts sessions with your own provider accounts. Each key is checked with the provider before it is saved, stored encrypted, and never shown again: only its last four characters and a fingerprint."
    >
      {dev && (
        <Alert color="blue" title="Development mode: the simulator stands in for the providers" data-testid="dev-hint">
          {/* The server's note, its `code` spans shown as code. */}
          <Text size="sm">{dev.note.split("`").map((part, i) => (i % 2 ? <Code key={i}>{part}</Code> : part))}</Text>
        </Alert>
      )}
      <QueryView query={credentials} what="provider keys">
        {(data) => (
          <SimpleGrid cols={{ base: 1, lg: 3 }}>
            {PROVIDER_ORDER.map((p) => (
              <ProviderCard key={p} provider={p} keys={data.items.filter((c) => c.provider === p)} />
            ))}
          </SimpleGrid>
        )}
      </QueryView>
    </Page>
  );
}

function statusBadge(c: Credential) {
  if (c.status === "valid") return <Badge color="teal">verified</Badge>;
  if (c.status === "invalid") return <Badge color="red">found invalid</Badge>;
  return <Badge color="yellow">not verified</Badge>;
}

function ProviderCard({ provider, keys }: { provider: Provider; keys: Credential[] }) {
  const { canWrite } = useSession();
  const info = PROVIDERS[provider];
  const client = useQueryClient();
  const remove = async (c: Credential) => {
    await call(api.DELETE("/v1/credentials/{credential_id}", { params: { path: { credential_id: c.id } } }));
    await client.invalidateQueries({ queryKey: ["tenant"] });
  };
  return (
    <Card withBorder component="section" aria-labelledby={`provider-${provider}`}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id={`provider-${provider}`}>
            {info.name}
          </Title>
          <Text size="sm" c="dimmed">
            {info.role}
          </Text>
        </div>
        {keys.length === 0 ? (
          <Text size="sm">No {info.name} key yet.</Text>
        ) : (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={`${info.name} keys`}>
            {keys.map((c) => (
              <Paper key={c.id} withBorder p="sm" component="li" data-testid={`credential-${provider}`}>
                <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                  <Stack gap={2}>
                    <Group gap="xs">
                      <Text size="sm" fw={600}>
                        {c.label}: ••••{c.last4}
                      </Text>
                      {statusBadge(c)}
                    </Group>
                    <Text size="xs" c="dimmed">
                      fingerprint {c.fingerprint}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {c.verified_at ? `verified ${when(c.verified_at)}` : `saved ${when(c.created_at)}`}
                    </Text>
                    {c.detail && <Text size="xs">{c.detail}</Text>}
                  </Stack>
                  {canWrite && (
                    <ConfirmButton
                      label="Remove"
                      aria-label={`Remove the ${info.name} key ${c.label}`}
                      title={`Remove the ${info.name} key “${c.label}”?`}
                      confirmLabel="Remove the key"
                      onConfirm={() => remove(c)}
                    >
                      New sessions of agents that need a {info.name} key are refused until you add another one.
                      {provider === "avaturn" && " Greenroom also needs it to end sessions at Avaturn: while a session is live, removing it is refused."}
                    </ConfirmButton>
                  )}
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
        {canWrite ? <AddKey provider={provider} replacing={keys.length > 0} /> : <Text size="xs" c="dimmed">Your role can see keys but not change them.</Text>}
      </Stack>
    </Card>
  );
}

function AddKey({ provider, replacing }: { provider: Provider; replacing: boolean }) {
  const info = PROVIDERS[provider];
  const client = useQueryClient();
  const [label, setLabel] = useState<string>(fields["CredentialIn.label"].default);
  const [secret, setSecret] = useState("");
  const save = useMutation({
    mutationFn: () => call(api.POST("/v1/credentials", { body: { provider, label, secret } })),
    onSuccess: async () => {
      setSecret(""); // the key leaves the page once saved
      await client.invalidateQueries({ queryKey: ["tenant"] });
    },
  });
  const labelOk = new RegExp(fields["CredentialIn.label"].pattern).test(label);
  const secretShort = secret.length > 0 && secret.length < fields["CredentialIn.secret"].minLength;
  const saved = save.data;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (labelOk && secret.length >= fields["CredentialIn.secret"].minLength) save.mutate();
      }}
    >
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {replacing ? `Add or replace a ${info.name} key` : `Add a ${info.name} key`}
        </Text>
        <PasswordInput
          label={`${info.name} API key`}
          description={`${info.shape} Saving under an existing label replaces that key.`}
          value={secret}
          onChange={(e) => setSecret(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          required
          error={fieldMessage(save.error, "secret") ?? (secretShort ? `At least ${fields["CredentialIn.secret"].minLength} characters.` : undefined)}
        />
        <TextInput
          label="Label"
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          maxLength={fields["CredentialIn.label"].maxLength}
          error={fieldMessage(save.error, "label") ?? (labelOk ? undefined : "Letters, digits, spaces, dots and dashes.")}
        />
        {save.isError && <ProblemAlert error={save.error} title={`The ${info.name} key was not saved`} />}
        {saved && !save.isPending && (
          <Alert color={saved.status === "valid" ? "teal" : "yellow"} role="status" title={saved.status === "valid" ? `${info.name} key saved and verified` : `${info.name} key saved, not verified`}>
            {saved.detail ?? `It ends in ${saved.last4}. It will not be shown again.`}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!secret}>
            Verify and save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import { meQuery, type Schemas } from "../api/queries";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { QueryView } from "../components/States";
import { duration, when } from "../lib/format";
import { fieldMessage } from "../lib/problem";
import { useSession } from "../shell/session";

const tenantQuery = { queryKey: ["tenant", "settings"], queryFn: () => call(api.GET("/v1/tenant")) };
const NAME = new RegExp(fields["TenantPatch.name"].pattern);

export function SettingsPage() {
  const tenant = useQuery(tenantQuery);
  return (
    <Page title="Tenant settings" intro="This tenant's name, and the limits and budget the operator set for it.">
      <QueryView query={tenant} what="tenant settings">
        {(t) => (
          <>
            <Rename tenant={t} />
            <Card withBorder component="section" aria-labelledby="limits">
              <Title order={2} size="h4" id="limits">
                Limits and budget
              </Title>
              <Text size="sm" c="dimmed">
                Set by the operator of this deployment; ask them to change one.
              </Text>
              <Table variant="vertical" layout="fixed" withTableBorder mt="sm" maw={640}>
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th w={240}>Status</Table.Th>
                    <Table.Td>
                      <Badge color={t.status === "active" ? "teal" : "red"} variant="light">
                        {t.status}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Minute budget per month</Table.Th>
                    <Table.Td>{t.monthly_minutes === null ? "none" : `${t.monthly_minutes} minutes`}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Sessions at once</Table.Th>
                    <Table.Td>{t.max_concurrent_sessions ?? "no limit of the tenant's own"}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Longest session</Table.Th>
                    <Table.Td>{t.max_session_s === null ? "the deployment's default" : duration(t.max_session_s)}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Billed</Table.Th>
                    <Table.Td>{t.billing_rounding === "minute" ? "per started minute" : "per second"}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Created</Table.Th>
                    <Table.Td>{when(t.created_at)}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Card>
          </>
        )}
      </QueryView>
    </Page>
  );
}

function Rename({ tenant }: { tenant: Schemas["TenantOut"] }) {
  const { canWrite } = useSession();
  const client = useQueryClient();
  const [name, setName] = useState(tenant.name);
  const rename = useMutation({
    mutationFn: () => call(api.PATCH("/v1/tenant", { body: { name: name.trim() } })),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: ["tenant", "settings"] }), client.invalidateQueries(meQuery)]);
    },
  });
  const valid = NAME.test(name) && name.trim().length <= fields["TenantPatch.name"].maxLength;
  return (
    <Card withBorder component="section" aria-labelledby="tenant-name">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && name.trim() !== tenant.name) rename.mutate();
        }}
      >
        <Stack maw={640}>
          <Title order={2} size="h4" id="tenant-name">
            Name
          </Title>
          <TextInput
            label="Tenant name"
            description={`Shown to members, on invitations and in the operator's reports. The slug, ${tenant.slug}, does not change.`}
            value={name}
            readOnly={!canWrite}
            maxLength={fields["TenantPatch.name"].maxLength}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldMessage(rename.error, "name") ?? (valid ? undefined : "At least one visible character, no control characters.")}
          />
          {rename.isError && <ProblemAlert error={rename.error} title="The tenant was not renamed" />}
          {rename.isSuccess && (
            <Text size="sm" role="status">
              Renamed to {rename.data.name}.
            </Text>
          )}
          {canWrite && (
            <Group>
              <Button type="submit" loading={rename.isPending} disabled={!valid || name.trim() === tenant.name}>
                Rename
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

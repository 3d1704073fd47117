import { Box, NativeSelect } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, call } from "../api/client";
import { meQuery } from "../api/queries";
import { ProblemAlert } from "../components/Problem";
import { useSession } from "./session";

/** The active tenant: POST /auth/tenant, then everything of the old tenant is dropped and loaded anew. */
export function TenantSwitcher() {
  const { me } = useSession();
  const client = useQueryClient();
  const pick = useMutation({
    mutationFn: (tenant_id: string) => call(api.POST("/auth/tenant", { body: { tenant_id } as never })),
    onSuccess: async () => {
      await client.invalidateQueries(meQuery);
      await client.resetQueries({ queryKey: ["tenant"] }); // the old tenant's data goes; what is shown loads anew
    },
  });
  if (me.memberships.length === 0) return null;
  return (
    <>
      <NativeSelect
        aria-label="Tenant"
        size="sm"
        w={{ base: "100%", sm: 300 }}
        disabled={pick.isPending}
        value={me.active_tenant_id ?? ""}
        data={[
          ...(me.active_tenant_id ? [] : [{ value: "", label: "Pick a tenant…", disabled: true }]),
          ...me.memberships.map((m) => ({ value: m.tenant_id, label: `${m.tenant_name} (${m.role})` })),
        ]}
        onChange={(e) => {
          const value = e.currentTarget.value;
          if (value && value !== me.active_tenant_id) pick.mutate(value);
        }}
      />
      {pick.isError && (
        <Box pos="fixed" top={68} right={16} maw={420} style={{ zIndex: 300 }}>
          <ProblemAlert error={pick.error} title="The tenant could not be switched" onRetry={() => pick.reset()} retryLabel="Dismiss" />
        </Box>
      )}
    </>
  );
}

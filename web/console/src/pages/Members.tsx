import { Alert, Badge, Button, Card, Group, NativeSelect, Stack, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fields } from "../api/fields";
import { api, call } from "../api/client";
import type { Schemas } from "../api/queries";
import { ConfirmButton } from "../components/Confirm";
import { CopyBlock } from "../components/Copy";
import { Page } from "../components/Page";
import { ProblemAlert } from "../components/Problem";
import { Empty, QueryView } from "../components/States";
import { when } from "../lib/format";
import { describe, fieldMessage } from "../lib/problem";
import { mayGrant, ROLE_HELP, type Role } from "../lib/roles";
import { useSession } from "../shell/session";

type Member = Schemas["MemberOut"];
type Invitation = Schemas["InvitationOut"];
const ROLES = fields["MemberPatch.role"].enum;

const membersQuery = { queryKey: ["tenant", "members"], queryFn: () => call(api.GET("/v1/members")) };
const invitationsQuery = { queryKey: ["tenant", "invitations"], queryFn: () => call(api.GET("/v1/invitations")) };

export function MembersPage() {
  const members = useQuery(membersQuery);
  const { role } = useSession();
  return (
    <Page title="Members" intro="Who can sign in to this tenant, and with which role. Invite someone by email: they sign in with that email to join.">
      <InviteForm />
      <QueryView query={members} what="members">
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Caption>
                Owners: {ROLE_HELP.owner}. Admins: {ROLE_HELP.admin}. Billing and viewer: {ROLE_HELP.viewer}.
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Joined</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((m) => (
                  <MemberRow key={m.id} member={m} owners={data.items.filter((x) => x.role === "owner").length} actor={role} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      <Invitations />
    </Page>
  );
}

function MemberRow({ member, owners, actor }: { member: Member; owners: number; actor: Role | null }) {
  const { me } = useSession();
  const client = useQueryClient();
  const you = member.user_id === me.user.id;
  const lastOwner = member.role === "owner" && owners === 1;
  const change = useMutation({
    mutationFn: (role: (typeof ROLES)[number]) => call(api.PATCH("/v1/members/{member_id}", { params: { path: { member_id: member.id } }, body: { role } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["tenant", "members"] });
      if (you) await client.invalidateQueries({ queryKey: ["me"] });
    },
  });
  const remove = async () => {
    await call(api.DELETE("/v1/members/{member_id}", { params: { path: { member_id: member.id } } }));
    await client.invalidateQueries({ queryKey: ["tenant", "members"] });
  };
  const canChange = mayGrant(actor, member.role) && !lastOwner;
  const why = lastOwner
    ? "The last owner keeps the role: make someone else owner first."
    : !mayGrant(actor, member.role)
      ? "Only an owner changes an owner's role."
      : null;
  const name = member.name ?? member.email ?? member.user_id;
  return (
    <Table.Tr data-testid="member-row">
      <Table.Td>
        <Text fw={500}>
          {name} {you && <Badge variant="light">you</Badge>}
        </Text>
        <Text size="xs" c="dimmed">
          {member.email ?? "no email"} · {member.issuer}
        </Text>
      </Table.Td>
      <Table.Td>
        <NativeSelect
          aria-label={`Role of ${name}`}
          value={member.role}
          disabled={!canChange || change.isPending}
          data={ROLES.map((r) => ({ value: r, label: r, disabled: !mayGrant(actor, r) }))}
          onChange={(e) => change.mutate(e.currentTarget.value as (typeof ROLES)[number])}
          description={why ?? undefined}
          error={change.isError ? (fieldMessage(change.error, "role") ?? describe(change.error).detail ?? describe(change.error).title) : undefined}
          w={220}
        />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{when(member.created_at)}</Text>
      </Table.Td>
      <Table.Td>
        {canChange && (
          <ConfirmButton label="Remove" aria-label={`Remove ${name}`} title={`Remove ${name} from this tenant?`} confirmLabel="Remove the member" onConfirm={remove}>
            {you ? "You lose access to this tenant at once." : `${name} loses access at once: their sign-in sessions can no longer act in this tenant.`} An invitation
            brings them back.
          </ConfirmButton>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function InviteForm() {
  const { role } = useSession();
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [invitee, setInvitee] = useState<(typeof ROLES)[number]>(fields["InvitationIn.role"].default);
  const invite = useMutation({
    mutationFn: () => call(api.POST("/v1/invitations", { body: { email: email.trim(), role: invitee } })),
    onSuccess: async () => {
      setEmail("");
      await client.invalidateQueries({ queryKey: ["tenant", "invitations"] });
    },
  });
  const emailOk = email === "" || new RegExp(fields["InvitationIn.email"].pattern).test(email.trim());
  const made = invite.data;
  return (
    <Card withBorder component="section" aria-labelledby="invite">
      <Stack>
        <Title order={2} size="h4" id="invite">
          Invite someone
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (email && emailOk) invite.mutate();
          }}
        >
          <Group align="flex-start">
            <TextInput
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fieldMessage(invite.error, "email") ?? (emailOk ? undefined : "An email address: name@example.com.")}
              w={{ base: "100%", sm: 320 }}
            />
            <NativeSelect
              label="Role"
              value={invitee}
              data={ROLES.map((r) => ({ value: r, label: `${r}: ${ROLE_HELP[r]}`, disabled: !mayGrant(role, r) }))}
              onChange={(e) => setInvitee(e.currentTarget.value as (typeof ROLES)[number])}
              w={{ base: "100%", sm: 420 }}
            />
            <Button type="submit" mt={{ base: 0, sm: 25 }} loading={invite.isPending}>
              Invite
            </Button>
          </Group>
        </form>
        {invite.isError && <ProblemAlert error={invite.error} title="Nobody was invited" />}
        {made && (
          <Alert color="yellow" role="status" title={`Send this link to ${made.email}`}>
            <Stack gap="xs">
              <Text size="sm">
                Greenroom sends no mail: send it yourself. It is shown this once, works once, only for someone who signs in with {made.email}, as {made.role}, until{" "}
                {when(made.expires_at)}.
              </Text>
              <CopyBlock label="Invitation link" value={made.url} />
              <Group>
                <Button size="xs" variant="default" onClick={() => invite.reset()}>
                  Done
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function invitationState(i: Invitation): { label: string; color: string; open: boolean } {
  if (i.accepted_at) return { label: `accepted ${when(i.accepted_at)}`, color: "teal", open: false };
  if (i.revoked_at) return { label: `revoked ${when(i.revoked_at)}`, color: "gray", open: false };
  if (new Date(i.expires_at).getTime() <= Date.now()) return { label: `expired ${when(i.expires_at)}`, color: "gray", open: false };
  return { label: `open until ${when(i.expires_at)}`, color: "blue", open: true };
}

function Invitations() {
  const invitations = useQuery(invitationsQuery);
  const client = useQueryClient();
  const [all, setAll] = useState(false);
  const revoke = async (i: Invitation) => {
    await call(api.DELETE("/v1/invitations/{invitation_id}", { params: { path: { invitation_id: i.id } } }));
    await client.invalidateQueries({ queryKey: ["tenant", "invitations"] });
  };
  return (
    <Stack component="section" aria-labelledby="invitations">
      <Group justify="space-between">
        <Title order={2} size="h4" id="invitations">
          Invitations
        </Title>
        <Switch label="Show accepted, revoked and expired" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      <QueryView query={invitations} what="invitations">
        {(data) => {
          const shown = data.items.filter((i) => all || invitationState(i).open);
          if (shown.length === 0) return <Empty title={all ? "No invitation yet" : "No open invitation"} />;
          return (
            <Table.ScrollContainer minWidth={560}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((i) => {
                    const st = invitationState(i);
                    return (
                      <Table.Tr key={i.id} data-testid="invitation-row">
                        <Table.Td>{i.email}</Table.Td>
                        <Table.Td>{i.role}</Table.Td>
                        <Table.Td>
                          <Badge color={st.color} variant="light" tt="none">
                            {st.label}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {st.open && (
                            <ConfirmButton label="Revoke" aria-label={`Revoke the invitation of ${i.email}`} title={`Revoke the invitation of ${i.email}?`} confirmLabel="Revoke the invitation" onConfirm={() => revoke(i)}>
                              The link stops working at once. You can invite {i.email} again later.
                            </ConfirmButton>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          );
        }}
      </QueryView>
    </Stack>
  );
}

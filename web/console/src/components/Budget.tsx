import { Alert, Progress, Stack, Text } from "@mantine/core";
import type { Schemas } from "../api/queries";
import { budgetView } from "../lib/budget";
import { minutes, when } from "../lib/format";

/** Whether new sessions are refused right now, and why, in the server's words (`starts_refused` of /v1/usage). */
export function RefusedAlert({ usage }: { usage: Schemas["MonthUsage"] }) {
  if (!usage.starts_refused) return null;
  return (
    <Alert color="red" title="New sessions are being refused" role="alert" data-testid="starts-refused">
      {usage.starts_refused_reason ??
        (usage.starts_refused === "suspended"
          ? "The operator suspended this tenant."
          : "Less than a minute of this month's budget is left, and a session needs at least a minute to start.")}
    </Alert>
  );
}

/** The month's minutes against the budget: a bar, and a plain warning when new sessions are refused. */
export function BudgetBody({ usage }: { usage: Schemas["MonthUsage"] }) {
  const b = usage.budget;
  if (!b) {
    return (
      <Stack gap="xs" mt="xs">
        <Text size="sm">{minutes(usage.finished.billed_seconds)} billed minutes in {usage.month}.</Text>
        <RefusedAlert usage={usage} />
      </Stack>
    );
  }
  const view = budgetView(b);
  const full = view.refusing || usage.starts_refused === "budget";
  const used = minutes(b.used_seconds);
  return (
    <Stack gap="xs" mt="xs">
      {view.limited ? (
        <>
          <Text size="sm">
            <b>{used}</b> of {b.monthly_minutes} minutes used ({Math.round(view.percent)} %), live sessions included. Resets {when(b.resets_at)}.
          </Text>
          <Progress
            value={full ? Math.max(view.percent, 1) : view.percent}
            color={full ? "red" : view.tone === "warn" ? "yellow" : "teal"}
            size="lg"
            aria-label={`Minutes used: ${Math.round(view.percent)} % of the budget`}
          />
        </>
      ) : (
        <Text size="sm">
          <b>{used}</b> minutes used, live sessions included. No monthly budget.
        </Text>
      )}
      <RefusedAlert usage={usage} />
      <Text size="xs" c="dimmed">
        Billed per {b.rounding}. {usage.finished.sessions} finished session(s) this month.
      </Text>
    </Stack>
  );
}

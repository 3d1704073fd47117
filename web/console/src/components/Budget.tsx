import { Alert, Progress, Stack, Text } from "@mantine/core";
import type { Schemas } from "../api/queries";
import { budgetView } from "../lib/budget";
import { minutes, when } from "../lib/format";

/** The month's minutes against the budget: a bar, and a plain warning when new sessions are refused. */
export function BudgetBody({ usage }: { usage: Schemas["MonthUsage"] }) {
  const b = usage.budget;
  if (!b) return <Text size="sm">{minutes(usage.finished.billed_seconds)} billed minutes in {usage.month}.</Text>;
  const view = budgetView(b);
  const used = minutes(b.used_seconds);
  return (
    <Stack gap="xs" mt="xs">
      {view.limited ? (
        <>
          <Text size="sm">
            <b>{used}</b> of {b.monthly_minutes} minutes used ({Math.round(view.percent)} %), live sessions included. Resets {when(b.resets_at)}.
          </Text>
          <Progress
            value={view.percent}
            color={view.tone === "ok" ? "teal" : view.tone === "warn" ? "yellow" : "red"}
            size="lg"
            aria-label={`Minutes used: ${Math.round(view.percent)} % of the budget`}
          />
          {view.refusing && (
            <Alert color="red" title="New sessions are being refused" role="alert">
              Less than a minute of this month's budget is left, and a session needs at least a minute to start. Sessions start again when the
              budget resets or the operator raises it.
            </Alert>
          )}
        </>
      ) : (
        <Text size="sm">
          <b>{used}</b> minutes used, live sessions included. No monthly budget.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Billed per {b.rounding}. {usage.finished.sessions} finished session(s) this month.
      </Text>
    </Stack>
  );
}


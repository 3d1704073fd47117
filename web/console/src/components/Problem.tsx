import { Alert, Button, Group, Text } from "@mantine/core";
import { describe } from "../lib/problem";

/** An error in plain words: the problem's title, its `detail`, and a retry where one makes sense. */
export function ProblemAlert({ error, onRetry, title, retryLabel = "Try again" }: { error: unknown; onRetry?: () => void; title?: string; retryLabel?: string }) {
  const said = describe(error);
  return (
    <Alert color="red" title={title ?? said.title} role="alert" variant="light">
      {title && <Text size="sm" fw={600}>{said.title}</Text>}
      {said.detail && <Text size="sm">{said.detail}</Text>}
      {onRetry && (
        <Group mt="xs">
          <Button size="xs" variant="default" onClick={onRetry}>
            {retryLabel}
          </Button>
        </Group>
      )}
    </Alert>
  );
}

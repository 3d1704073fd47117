import { Alert, Box, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";

/** A value to copy, shown in full with a copy button (the embed snippet, a publishable key). */
export function CopyBlock({ value, label, block = false }: { value: string; label: string; block?: boolean }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button size="xs" variant={copied ? "filled" : "light"} color={copied ? "teal" : "blue"} onClick={copy} aria-label={copied ? `Copied ${label.toLowerCase()}` : `Copy ${label.toLowerCase()}`}>
              {copied ? "Copied" : "Copy"}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Box>
        <Code block={block} style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }} data-testid={`copy-${label.toLowerCase().replace(/\W+/g, "-")}`}>
          {value}
        </Code>
      </Box>
    </Stack>
  );
}

/** A secret the server shows this once: copy it now, it cannot be shown again. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <Alert color="yellow" variant="light" title={`Copy the ${label} now`} role="alert">
      <Stack gap="sm">
        <Text size="sm">
          This is the only time it is shown: Greenroom keeps only its hash. Store it in your backend's secret store.
        </Text>
        <CopyBlock value={secret} label={label} />
        <Group>
          <Button size="xs" variant="default" onClick={onDone}>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

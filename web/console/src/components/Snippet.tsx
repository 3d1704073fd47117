import { Alert, NativeSelect, Stack, Text } from "@mantine/core";
import { useState } from "react";
import type { Schemas } from "../api/queries";
import { embedSnippet } from "../lib/snippet";
import { CopyBlock } from "./Copy";

/** The embed snippet of a widget key, for this deployment, with a copy button. A key restricted to one agent
 * names that agent; otherwise the admin picks which agent the page shows. */
export function EmbedSnippet({ widgetKey, agents }: { widgetKey: Schemas["WidgetKeyOut"]; agents: readonly Schemas["AgentOut"][] }) {
  const restricted = agents.find((a) => a.id === widgetKey.agent_id);
  const [picked, setPicked] = useState(restricted?.slug ?? agents[0]?.slug ?? "");
  const slug = restricted?.slug ?? picked;
  if (!slug) {
    return (
      <Alert color="yellow" title="No agent to embed">
        Create an agent first: the snippet names the agent the page shows.
      </Alert>
    );
  }
  return (
    <Stack gap="xs">
      {!restricted && agents.length > 1 && (
        <NativeSelect label="Agent on this page" value={picked} data={agents.map((a) => ({ value: a.slug, label: `${a.name} (${a.slug})` }))} onChange={(e) => setPicked(e.currentTarget.value)} />
      )}
      <CopyBlock label="Embed snippet" value={embedSnippet(window.location.origin, widgetKey.key, slug)} block />
      <Text size="xs" c="dimmed">
        Paste it into a page served from {widgetKey.allowed_origins.length === 1 ? "the allowed origin" : "one of the allowed origins"}:{" "}
        {widgetKey.allowed_origins.join(", ")}. The key is publishable: it only works on those origins.
      </Text>
    </Stack>
  );
}

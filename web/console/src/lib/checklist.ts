// The getting-started checklist on the overview: provider keys -> an agent -> a widget key -> the snippet on a
// page. Each step ticks itself off from what the API holds, so it needs no state of its own.
import type { components } from "../api/schema";

type Schemas = components["schemas"];

/** The providers an engine needs besides Avaturn (the avatar), as the broker asks for them. */
export const ENGINE_PROVIDER = { "openai-realtime": "openai", cartesia: "cartesia" } as const;

export interface ChecklistInput {
  credentials: readonly Schemas["CredentialOut"][];
  agents: readonly Schemas["AgentOut"][];
  widgetKeys: readonly Schemas["WidgetKeyOut"][];
  /** Whether any session was ever started from a page (a session with an origin). */
  widgetSessionSeen: boolean;
}

export interface Step {
  id: "keys" | "agent" | "widget-key" | "snippet";
  label: string;
  done: boolean;
  hint: string;
  to: "/keys/providers" | "/agents" | "/keys/widget";
}

function usable(credentials: readonly Schemas["CredentialOut"][], provider: string): boolean {
  return credentials.some((c) => c.provider === provider && c.status !== "invalid");
}

export function checklist(input: ChecklistInput): Step[] {
  const avatar = usable(input.credentials, "avaturn");
  const engine = usable(input.credentials, "openai") || usable(input.credentials, "cartesia");
  const keys = avatar && engine;
  const liveKeys = input.widgetKeys.filter((k) => !k.revoked_at);
  return [
    {
      id: "keys",
      label: "Add your provider keys",
      done: keys,
      hint: keys
        ? "Avaturn and an engine key are saved."
        : `Needed: ${[!avatar && "Avaturn (the avatar)", !engine && "OpenAI or Cartesia (the voice engine)"].filter(Boolean).join(" and ")}.`,
      to: "/keys/providers",
    },
    {
      id: "agent",
      label: "Create an agent",
      done: input.agents.length > 0,
      hint: input.agents.length ? `${input.agents.length} agent(s).` : "An agent is the avatar's voice, persona and look.",
      to: "/agents",
    },
    {
      id: "widget-key",
      label: "Create a widget key for your site",
      done: liveKeys.length > 0,
      hint: liveKeys.length ? "A widget key is active." : "A publishable key, allowed on your site's origin.",
      to: "/keys/widget",
    },
    {
      id: "snippet",
      label: "Put the snippet on your page",
      done: input.widgetSessionSeen,
      hint: input.widgetSessionSeen
        ? "A visitor has talked to your avatar."
        : "Copy the embed snippet from the widget key; this ticks off at the first conversation on your page.",
      to: "/keys/widget",
    },
  ];
}

/** Engines whose keys are missing: agents of these engines cannot start. */
export function missingForEngine(
  credentials: readonly Schemas["CredentialOut"][],
  engine: keyof typeof ENGINE_PROVIDER,
): string[] {
  return ["avaturn", ENGINE_PROVIDER[engine]].filter((p) => !usable(credentials, p));
}

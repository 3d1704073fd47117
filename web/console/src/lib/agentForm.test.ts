import { describe, expect, it } from "vitest";
import type { components } from "../api/schema";
import { createBody, draftOf, newDraft, parseTools, patchBody, slugify } from "./agentForm";

type AgentOut = components["schemas"]["AgentOut"];

const agent: AgentOut = {
  id: "a1",
  slug: "front-desk",
  name: "Front desk",
  engine: {
    type: "openai-realtime",
    model: "gpt-realtime",
    voice: "marin",
    speed: 1,
    instructions: "Be brief.",
    tools: [],
    tool_choice: "auto",
    turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
    transcription: null,
  },
  avatar: { avatar_id: "jane_20240829", background: "default", render_model: "delta", user_absent_timeout: 60, max_duration: 3600 },
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("agent form", () => {
  it("creates with the server's defaults", () => {
    const draft = { ...newDraft(), slug: "x", name: " X " };
    const body = createBody(draft, []);
    expect(body).toMatchObject({ slug: "x", name: "X", engine: { type: "openai-realtime", voice: "marin", model: "gpt-realtime", tools: [] } });
    expect(body.avatar).toMatchObject({ max_duration: 3600, user_absent_timeout: 60 });
  });

  it("patches nothing when nothing changed, and only the voice when the voice changed", () => {
    const draft = draftOf(agent);
    expect(patchBody(agent, draft, [])).toBeUndefined();
    draft.openai.voice = "cedar";
    expect(patchBody(agent, draft, [])).toEqual({ engine: { voice: "cedar" } });
  });

  it("turns turn detection off with null and switches engines whole", () => {
    const off = draftOf(agent);
    off.openai.turn_detection = null;
    expect(patchBody(agent, off, [])).toEqual({ engine: { turn_detection: null } });
    const cartesia = draftOf(agent);
    cartesia.engineType = "cartesia";
    cartesia.cartesia.agent_id = " agent_1 ";
    expect(patchBody(agent, cartesia, [])).toEqual({ engine: { type: "cartesia", agent_id: "agent_1" } });
  });

  it("reads tools as validated JSON", () => {
    expect(parseTools("")).toEqual({ tools: [] });
    expect(parseTools('[{"name": "lookup", "parameters": {"type": "object"}}]')).toEqual({
      tools: [{ type: "function", name: "lookup", parameters: { type: "object" } }],
    });
    expect(parseTools("{")).toHaveProperty("problem");
    expect(parseTools('{"name": "x"}')).toHaveProperty("problem");
    expect(parseTools('[{"name": "has space"}]')).toHaveProperty("problem");
    expect(parseTools('[{"name": "x", "extra": 1}]')).toHaveProperty("problem");
  });

  it("makes slugs from names", () => {
    expect(slugify("Front désk #2")).toBe("front-desk-2");
    expect(slugify("  --  ")).toBe("");
  });
});

// The agent form's model: what the form edits, its defaults (the server's own, from fields.ts), and the body it
// sends — the whole spec on create, a merge patch of what changed on edit.
import { fields } from "../api/fields";
import type { components } from "../api/schema";
import { type Json, mergePatch } from "./mergePatch";

type S = components["schemas"];
export type OpenAIEngine = S["OpenAIRealtimeEngine"];
export type CartesiaEngine = S["CartesiaEngine"];
export type Avatar = S["AvatarSettings"];
export type Tool = S["FunctionTool"];
export type EngineType = "openai-realtime" | "cartesia";
export type TurnDetection = "server_vad" | "semantic_vad" | "off";

export interface AgentDraft {
  slug: string;
  name: string;
  engineType: EngineType;
  openai: Required<Omit<OpenAIEngine, "tools">>;
  toolsText: string;
  cartesia: CartesiaEngine;
  avatar: Required<Avatar>;
}

const f = fields;

export function defaultServerVad(): S["ServerVad"] {
  return {
    type: "server_vad",
    threshold: f["ServerVad.threshold"].default,
    prefix_padding_ms: f["ServerVad.prefix_padding_ms"].default,
    silence_duration_ms: f["ServerVad.silence_duration_ms"].default,
  };
}

export function defaultSemanticVad(): S["SemanticVad"] {
  return { type: "semantic_vad", eagerness: f["SemanticVad.eagerness"].default };
}

export function defaultTranscription(): S["Transcription"] {
  return { model: f["Transcription.model"].default, language: null, prompt: null };
}

export function newDraft(): AgentDraft {
  return {
    slug: "",
    name: "",
    engineType: "openai-realtime",
    openai: {
      type: "openai-realtime",
      model: f["OpenAIRealtimeEngine.model"].default,
      voice: f["OpenAIRealtimeEngine.voice"].default,
      speed: f["OpenAIRealtimeEngine.speed"].default,
      instructions: f["OpenAIRealtimeEngine.instructions"].default,
      tool_choice: f["OpenAIRealtimeEngine.tool_choice"].default,
      turn_detection: defaultServerVad(),
      transcription: null,
    },
    toolsText: "[]",
    cartesia: { type: "cartesia", agent_id: "" },
    avatar: {
      avatar_id: f["AvatarSettings.avatar_id"].default,
      background: f["AvatarSettings.background"].default,
      render_model: f["AvatarSettings.render_model"].default,
      user_absent_timeout: f["AvatarSettings.user_absent_timeout"].default,
      max_duration: f["AvatarSettings.max_duration"].default,
    },
  };
}

/** The form of an existing agent: its own values, the server's defaults where it has none. */
export function draftOf(agent: S["AgentOut"]): AgentDraft {
  const draft = newDraft();
  draft.slug = agent.slug;
  draft.name = agent.name;
  draft.avatar = { ...draft.avatar, ...agent.avatar };
  if (agent.engine.type === "cartesia") {
    draft.engineType = "cartesia";
    draft.cartesia = { ...agent.engine };
  } else {
    const { tools, ...rest } = agent.engine;
    draft.engineType = "openai-realtime";
    draft.openai = { ...draft.openai, ...rest, type: "openai-realtime" };
    draft.toolsText = JSON.stringify(tools ?? [], null, 2);
  }
  return draft;
}

/** Slug from a name: "Front desk" -> "front-desk". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

const TOOL_NAME = new RegExp(f["FunctionTool.name"].pattern);

/** The tools JSON as the API takes it, or why not. */
export function parseTools(text: string): { tools: Tool[] } | { problem: string } {
  let value: unknown;
  try {
    value = text.trim() === "" ? [] : JSON.parse(text);
  } catch (e) {
    return { problem: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!Array.isArray(value)) return { problem: "A list of tools: [ {\"name\": …, \"parameters\": {…}} ]." };
  if (value.length > f["OpenAIRealtimeEngine.tools"].maxItems) return { problem: `At most ${f["OpenAIRealtimeEngine.tools"].maxItems} tools.` };
  for (const [i, tool] of value.entries()) {
    if (typeof tool !== "object" || tool === null || Array.isArray(tool)) return { problem: `Tool ${i + 1} is not an object.` };
    const t = tool as Record<string, unknown>;
    if (typeof t.name !== "string" || !TOOL_NAME.test(t.name)) return { problem: `Tool ${i + 1}: "name" is 1 to 64 letters, digits, _ or -.` };
    if (t.type !== undefined && t.type !== "function") return { problem: `Tool ${i + 1}: "type" can only be "function".` };
    if (t.parameters !== undefined && (typeof t.parameters !== "object" || t.parameters === null || Array.isArray(t.parameters))) {
      return { problem: `Tool ${i + 1}: "parameters" is a JSON Schema object.` };
    }
    const known = new Set(["type", "name", "description", "parameters"]);
    const extra = Object.keys(t).find((k) => !known.has(k));
    if (extra) return { problem: `Tool ${i + 1}: unknown member "${extra}".` };
  }
  return { tools: (value as Tool[]).map((t) => ({ ...t, type: "function" })) };
}

/** The engine the form describes (the tools already parsed). */
export function engineOf(draft: AgentDraft, tools: Tool[]): OpenAIEngine | CartesiaEngine {
  return draft.engineType === "cartesia" ? { type: "cartesia", agent_id: draft.cartesia.agent_id.trim() } : { ...draft.openai, tools };
}

export function createBody(draft: AgentDraft, tools: Tool[]): S["AgentSpec"] {
  return { slug: draft.slug, name: draft.name.trim(), engine: engineOf(draft, tools), avatar: draft.avatar };
}

/** Only what changed, as a JSON merge patch; undefined when nothing did. */
export function patchBody(agent: S["AgentOut"], draft: AgentDraft, tools: Tool[]): S["AgentPatch"] | undefined {
  const before = { name: agent.name, engine: agent.engine, avatar: agent.avatar } as unknown as Json;
  const after = { name: draft.name.trim(), engine: engineOf(draft, tools), avatar: draft.avatar } as unknown as Json;
  return mergePatch(before, after) as S["AgentPatch"] | undefined;
}

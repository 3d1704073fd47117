import { describe, expect, it } from "vitest";
import { mergePatch } from "./mergePatch";

describe("merge patch", () => {
  const agent = {
    name: "Front desk",
    engine: { type: "openai-realtime", voice: "marin", speed: 1, tools: [], turn_detection: { type: "server_vad", threshold: 0.5 } },
    avatar: { avatar_id: "jane", max_duration: 600 },
  };

  it("sends nothing when nothing changed", () => {
    expect(mergePatch(agent, structuredClone(agent))).toBeUndefined();
  });

  it("sends only the changed member, at depth", () => {
    const after = structuredClone(agent);
    after.engine.voice = "cedar";
    expect(mergePatch(agent, after)).toEqual({ engine: { voice: "cedar" } });
  });

  it("sends null as a value (turn detection off)", () => {
    expect(mergePatch(agent, { ...agent, engine: { ...agent.engine, turn_detection: null } })).toEqual({
      engine: { turn_detection: null },
    });
  });

  it("sends a list whole when it differs", () => {
    const tools = [{ type: "function", name: "lookup" }];
    expect(mergePatch(agent, { ...agent, engine: { ...agent.engine, tools } })).toEqual({ engine: { tools } });
  });

  it("sends an object whose type changed whole", () => {
    const cartesia = { type: "cartesia", agent_id: "agent_1" };
    expect(mergePatch(agent, { ...agent, engine: cartesia })).toEqual({ engine: cartesia });
  });

  it("leaves members the form does not hold alone", () => {
    expect(mergePatch(agent, { name: "Reception" })).toEqual({ name: "Reception" });
  });
});

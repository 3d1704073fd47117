// PATCH bodies are JSON merge patches (docs/decisions/0016): send only what changed. Objects are compared
// member by member; an object whose `type` changed (an OpenAI engine becoming a Cartesia one) is sent whole,
// as the server then replaces it whole; lists and scalars are sent whole when they differ. `null` is a value
// (turn detection off), never a removal.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => equal(a[k], b[k]));
  }
  return false;
}

/** The merge patch that turns `before` into `after` for the members `after` holds; `undefined` if none changed.
 * A member missing from `after` is left alone (the form does not edit it). */
export function mergePatch(before: Json | undefined, after: Json): Json | undefined {
  if (!isObject(before) || !isObject(after)) return equal(before, after) ? undefined : after;
  if ("type" in after && after.type !== before.type) return after;
  const patch: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(after)) {
    const change = mergePatch(before[key], value);
    if (change !== undefined) patch[key] = change;
  }
  return Object.keys(patch).length ? patch : undefined;
}

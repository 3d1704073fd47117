// The before/after view of an audit event: both sides flattened to dotted keys, each line marked when it changed.

export interface Change {
  key: string;
  before: string | undefined;
  after: string | undefined;
  changed: boolean;
}

type Flat = Map<string, string>;

function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

export function changes(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Change[] {
  const b = flatten(before ?? {}, "", new Map());
  const a = flatten(after ?? {}, "", new Map());
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  return keys.map((key) => ({ key, before: b.get(key), after: a.get(key), changed: b.get(key) !== a.get(key) }));
}

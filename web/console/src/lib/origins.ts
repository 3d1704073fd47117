// Widget-key origins, checked in the browser exactly as the server checks them: the pattern is the one the
// OpenAPI document gives for `WidgetKeyIn.allowed_origins` (api/patterns.ts is generated from it).
import { fields } from "../api/fields";

const ORIGIN = new RegExp(fields["WidgetKeyIn.allowed_origins"].pattern);
export const MAX_ORIGINS = 50;

/** Why `text` is not an origin a browser sends, or null if it is one. */
export function originProblem(text: string): string | null {
  if (ORIGIN.test(text)) return null;
  if (!/^https?:\/\//.test(text)) return "Start with https:// (or http:// for local testing).";
  if (/^https?:\/\/[^/]+\/./.test(text) || /[?#]/.test(text)) {
    return "Only scheme, host and port: a page's origin has no path, query or fragment.";
  }
  if (text.endsWith("/")) return "Leave out the trailing /.";
  if (text.includes("@")) return "An origin has no user name.";
  return "Not an origin: write it as scheme://host or scheme://host:port, e.g. https://shop.example.";
}

/** Splits what was typed or pasted (commas, spaces, new lines) into trimmed entries. */
export function splitOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The problems of a whole allow-list, by entry; an empty result means the list is acceptable. */
export function originListProblems(origins: readonly string[]): string[] {
  const problems: string[] = [];
  if (origins.length === 0) problems.push("Add at least one origin: the page that embeds the widget.");
  if (origins.length > MAX_ORIGINS) problems.push(`At most ${MAX_ORIGINS} origins per key.`);
  const seen = new Set<string>();
  for (const origin of origins) {
    const why = originProblem(origin);
    if (why) problems.push(`${origin}: ${why}`);
    if (seen.has(origin)) problems.push(`${origin} is listed twice.`);
    seen.add(origin);
  }
  return problems;
}

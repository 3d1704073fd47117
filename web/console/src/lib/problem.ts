// RFC 9457 problems as the console shows them: the catalogue's title and the server's `detail` in plain words,
// and the message of a field the problem names (`errors[].key`, e.g. "secret" or "engine.agent_id") next to
// that field.
import type { components } from "../api/schema";

export type ProblemDocument = components["schemas"]["ProblemDocument"];

/** One entry of a problem's `errors` list. The OpenAPI document does not describe `errors` yet (it is sent by
 * the server for invalid requests), so this is read defensively from the answer. */
export interface FieldProblem {
  key: string;
  message: string;
}

/** A failed API call: the problem the server answered with, or why there was no answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDocument | null;
  readonly fields: FieldProblem[];
  readonly body: Record<string, unknown>;

  constructor(status: number, body: unknown) {
    const record = isRecord(body) ? body : {};
    const problem = isProblem(record) ? record : null;
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.body = record;
    this.fields = readFields(record.errors);
  }

  /** The catalogue's slug: "credential-invalid" for `/problems/credential-invalid`. */
  get slug(): string | null {
    const type = this.problem?.type;
    return type ? type.slice(type.lastIndexOf("/") + 1) : null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isProblem(value: Record<string, unknown>): value is Record<string, unknown> & ProblemDocument {
  return typeof value.type === "string" && typeof value.title === "string" && typeof value.status === "number";
}

function readFields(errors: unknown): FieldProblem[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e) =>
    isRecord(e) && typeof e.key === "string" && typeof e.message === "string" ? [{ key: e.key, message: e.message }] : [],
  );
}

/** What a person reads about an error: a short headline and, where there is one, the explanation. */
export function describe(error: unknown): { title: string; detail: string | null } {
  if (error instanceof ApiError) {
    if (error.problem) {
      const detail = error.problem.detail ?? null;
      return { title: error.problem.title, detail: detail && detail !== error.problem.title ? detail : null };
    }
    if (error.status >= 500) {
      return { title: "Greenroom could not answer", detail: `The server answered ${error.status}. Try again shortly.` };
    }
    return { title: "The request was refused", detail: `The server answered ${error.status}.` };
  }
  if (error instanceof TypeError) {
    return { title: "Greenroom could not be reached", detail: "Check your connection and try again." };
  }
  return { title: "Something went wrong", detail: error instanceof Error ? error.message : null };
}

/** The message for one form field: a problem entry whose key is the field or lies under it
 * ("engine" matches "engine.agent_id"; "allowed_origins" matches "allowed_origins.1"). */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const hit = error.fields.find((f) => f.key === field || f.key.startsWith(`${field}.`) || f.key.startsWith(`${field}[`));
  return hit?.message;
}

/** Field keys of the problem that the form shows next to a field; the rest go in the alert above the form. */
export function namesAnyField(error: unknown, fields: readonly string[]): boolean {
  return fields.some((f) => fieldMessage(error, f) !== undefined);
}

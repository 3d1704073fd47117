// The role rules the console explains where they bite (app/auth/roles.py is the authority; the server refuses too).

export type Role = "owner" | "admin" | "billing" | "viewer";

export const ROLE_HELP: Record<Role, string> = {
  owner: "everything, including making and removing owners",
  admin: "everything but owners: agents, keys, members, webhooks, sessions",
  billing: "reads sessions, usage and reports",
  viewer: "reads sessions, usage and reports",
};

/** Owners and admins change things; billing and viewer members read sessions and usage. */
export function canWrite(role: string | null): boolean {
  return role === "owner" || role === "admin";
}

/** Only an owner makes or unmakes owners; admins manage admin, billing and viewer. */
export function mayGrant(actor: string | null, target: string): boolean {
  if (target === "owner") return actor === "owner";
  return canWrite(actor);
}

// The one way the console talks to the API: openapi-fetch typed by schema.d.ts (generated from the app's
// OpenAPI document), same origin, with the session cookie.
//
// - Unsafe methods carry X-CSRF-Token (the `csrf_token` of GET /auth/me); the browser adds Origin itself.
// - `referrerPolicy: "same-origin"` on every request: the app's HTML pages send `Referrer-Policy: no-referrer`,
//   under which a browser sends `Origin: null` on a POST, and the server refuses that as a CSRF failure.
// - An answer of 401 means the sign-in is gone: the browser goes to the sign-in page (/).
// - A failed call throws ApiError with the RFC 9457 problem, for TanStack Query and the forms to show.
import createClient, { type Middleware } from "openapi-fetch";
import { ApiError } from "../lib/problem";
import type { paths } from "./schema";

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function signInAgain(): void {
  window.location.assign("/");
}

const session: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) signInAgain();
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: "same-origin",
  referrerPolicy: "same-origin",
  cache: "no-store",
});
api.use(session);

/** The data of a successful call, or an ApiError carrying the problem the server answered with. */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new ApiError(response.status, error);
  return data as T;
}

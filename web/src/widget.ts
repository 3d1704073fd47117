/**
 * <greenroom-avatar key="gr_pk_…" agent="slug" [api="https://greenroom.example.com"]>
 *
 * Asks Greenroom for an avatar session (POST {api}/v1/widget/sessions with the
 * public widget key), hands the returned session token to the Avaturn browser
 * SDK, keeps the session alive with heartbeats and ends it when the element
 * leaves the page, the page is hidden, or something fails.
 *
 * Contract (what pages and tests can rely on):
 * - `data-state` on the host element and on the status element (`part="status"`,
 *   `role="status"`): `connecting` | `live` | `error` | `ended`;
 * - the read-only `state` property (null before the first connection);
 * - a `greenroom-state` CustomEvent (bubbles, composed) on every change with
 *   `detail: {state, message, sessionId}`.
 *
 * This module is the bundle's entry (vite.config.ts builds it, with everything it imports and the SDK, into
 * the one classic script dist/widget.js): it defines the element under `greenroom-avatar` once (a second copy
 * of widget.js on the page leaves the first definition in place) and re-exports the public types. The parts:
 * element.ts (the element's lifecycle), view.ts and styles.ts (its shadow DOM), run.ts (one connection
 * attempt), api.ts (creating and ending the session), heartbeat.ts, session.ts (reading the session answer)
 * and messages.ts (what the visitor reads).
 */
import { GreenroomAvatarElement, type GreenroomStateDetail } from "./element";

export { GreenroomAvatarElement };
export type { GreenroomStateDetail, WidgetState } from "./element";

const TAG = "greenroom-avatar";

if (!customElements.get(TAG)) {
  customElements.define(TAG, GreenroomAvatarElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "greenroom-avatar": GreenroomAvatarElement;
  }
  interface HTMLElementEventMap {
    "greenroom-state": CustomEvent<GreenroomStateDetail>;
  }
}

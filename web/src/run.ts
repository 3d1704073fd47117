/**
 * One connection attempt and its time limits. A `Run` holds at most one Greenroom session and one SDK head;
 * once `ended` is set it stays set (the element never reuses a Run: a new attempt is a new Run), and aborting
 * `abort` stops its heartbeats. `withTimeout` bounds the SDK's init(), which has no overall timeout of its own.
 */
import type { AvaturnHead } from "@avaturn-live/web-sdk";
import type { WidgetSession } from "./session";

/** How long init() may take before we give up (the SDK has no overall timeout of its own). */
export const INIT_TIMEOUT_MS = 60_000;
/** Passed to the SDK's init(): how long to wait for the avatar's video after joining the room. */
export const SDK_TRACK_TIMEOUT_MS = 45_000;

// The SDK's declared event names omit "error", though it forwards every
// backend app-message by its `type`, errors included.
export type LooseEvents = {
  on(event: string, cb: (data: unknown) => void): void;
};

/** Settles like `p`, or rejects with "`what` timed out" after `ms`; the timer is cleared either way. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** One connection attempt: one Greenroom session at most. */
export class Run {
  ended = false;
  session: WidgetSession | null = null;
  avatar: AvaturnHead | null = null;
  /** Aborted when the attempt ends: stops the heartbeat loop and cancels a beat in flight. */
  readonly abort = new AbortController();
  constructor(readonly api: string, readonly key: string, readonly agent: string) {}
}

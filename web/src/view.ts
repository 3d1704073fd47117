/**
 * The element's shadow DOM, built once per element: a card (`part="card"`) with the stage (`part="stage"`, where
 * the SDK draws the avatar's video) and a status bar: a dot, the status line (`part="status"`, `role="status"`,
 * `aria-live="polite"`) and the "Start again" button (`part="retry"`, hidden until a state shows it).
 * `paintState` is the only way a state reaches this DOM; the view knows nothing of sessions.
 */
import { STYLE } from "./styles";

export interface View {
  /** Where the SDK draws the avatar's video. */
  readonly stage: HTMLDivElement;
  readonly bar: HTMLDivElement;
  readonly status: HTMLParagraphElement;
  readonly retry: HTMLButtonElement;
}

/** Fills `root` with the card; `onRetry` runs when the visitor presses "Start again". */
export function buildView(root: ShadowRoot, onRetry: () => void): View {
  const style = document.createElement("style");
  style.textContent = STYLE;
  const card = document.createElement("div");
  card.className = "card";
  card.setAttribute("part", "card");
  const stage = document.createElement("div");
  stage.className = "stage";
  stage.setAttribute("part", "stage");
  const bar = document.createElement("div");
  bar.className = "bar";
  const dot = document.createElement("span");
  dot.className = "dot";
  dot.setAttribute("aria-hidden", "true");
  const status = document.createElement("p");
  status.className = "status";
  status.setAttribute("part", "status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const retry = document.createElement("button");
  retry.type = "button";
  retry.textContent = "Start again";
  retry.setAttribute("part", "retry");
  retry.hidden = true;
  retry.addEventListener("click", () => onRetry());
  bar.append(dot, status, retry);
  card.append(stage, bar);
  root.append(style, card);
  return { stage, bar, status, retry };
}

/** Shows `state` (as `data-state` on the bar and the status line) and `message`; the button only if `retryShown`. */
export function paintState(view: View, state: string, message: string, retryShown: boolean): void {
  view.bar.setAttribute("data-state", state);
  view.status.setAttribute("data-state", state);
  view.status.textContent = message;
  view.retry.hidden = !retryShown;
}

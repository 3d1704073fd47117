/**
 * The element's shadow-DOM CSS, a plain string that view.ts puts in a <style> in the shadow root (no asset file:
 * the bundle stays one script). Pages restyle from outside through the host and its parts (`::part(card)`,
 * `::part(stage)`, `::part(status)`, `::part(retry)`); the status dot follows the bar's `data-state` and stops
 * pulsing under `prefers-reduced-motion`.
 */
export const STYLE = `
:host {
  display: block;
  max-width: 100%;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2933;
}
:host([hidden]) { display: none; }
.card {
  border-radius: 14px;
  overflow: hidden;
  background: #fff;
  box-shadow: 0 1px 3px rgba(15, 23, 42, .12), 0 6px 20px rgba(15, 23, 42, .08);
}
.stage {
  position: relative;
  aspect-ratio: 16 / 9;
  background: radial-gradient(circle at 50% 40%, #eef1f6, #d9dee7);
  overflow: hidden;
}
.bar {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 8px 12px;
  min-height: 24px;
}
.dot {
  flex: none;
  width: 8px;
  height: 8px;
  border-radius: 50%;
  background: #9aa5b1;
}
.bar[data-state="connecting"] .dot { background: #f0b429; animation: pulse 1.2s ease-in-out infinite; }
.bar[data-state="live"] .dot { background: #27ab83; }
.bar[data-state="error"] .dot { background: #d64545; }
.status { flex: 1; margin: 0; }
.bar[data-state="error"] .status { color: #a61b1b; }
button {
  flex: none;
  font: inherit;
  padding: 2px 10px;
  border: 1px solid #cbd2d9;
  border-radius: 999px;
  background: #f5f7fa;
  color: inherit;
  cursor: pointer;
}
button:hover { background: #e4e7eb; }
button[hidden] { display: none; }
@keyframes pulse { 50% { opacity: .35; } }
@media (prefers-reduced-motion: reduce) { .bar[data-state="connecting"] .dot { animation: none; } }
`;

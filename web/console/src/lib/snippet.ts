// The embed snippet for a widget key: the widget script of this deployment and the element (web/README.md,
// "Embedding"). The console is served by the app at its public URL, so the page's own origin is the deployment's.

export function embedSnippet(publicOrigin: string, key: string, agentSlug: string): string {
  const base = publicOrigin.replace(/\/+$/, "");
  return (
    `<script src="${escapeAttr(`${base}/widget.js`)}" defer></script>\n` +
    `<greenroom-avatar key="${escapeAttr(key)}" agent="${escapeAttr(agentSlug)}"></greenroom-avatar>`
  );
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

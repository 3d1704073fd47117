// Generated from the app's OpenAPI document by `npm run api:types -- <openapi.json>`: do not edit.
// tests/console/test_api_types_drift.py fails when it differs from what /schema/openapi.json produces.

/** Field patterns of the API's schemas, as the server validates them ("Schema.field"). */
export const patterns = {
  "AgentSpec.slug": "^[a-z0-9][a-z0-9-]{0,62}$",
  "CredentialIn.label": "^[\\w .-]+$",
  "FunctionTool.name": "^[a-zA-Z0-9_-]{1,64}$",
  "InvitationIn.email": "^[^@\\s]+@[^@\\s]+$",
  "OpenAIRealtimeEngine.model": "^gpt-realtime[\\w.-]*$",
  "OpenAIRealtimeEnginePatch.model": "^gpt-realtime[\\w.-]*$",
  "Transcription.language": "^[a-z]{2}$",
  "TranscriptionPatch.language": "^[a-z]{2}$",
  "WebhookIn.url": "^https://[^\\s/?#@]+([/?#]\\S*)?$",
  "WebhookPatch.url": "^https://[^\\s/?#@]+([/?#]\\S*)?$",
  "WidgetKeyIn.allowed_origins": "^https?://(\\[::1\\]|(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?$",
} as const;

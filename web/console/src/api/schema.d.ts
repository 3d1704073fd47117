// Generated from the app's OpenAPI document by `npm run api:types -- <openapi.json>`: do not edit.
// tests/console/test_api_types_drift.py fails when it differs from what /schema/openapi.json produces.

export interface paths {
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sessions
         * @description Newest first, filtered, paged with `cursor`. The same history as `/v1/reports/sessions` (which also exports CSV), in this resource's shape.
         */
        get: operations["V1SessionsListSessions"];
        put?: never;
        /**
         * Start an avatar session
         * @description For tenant backends (server key) and signed-in admins. Creates the upstream session with the tenant's provider keys and returns what the browser SDK needs. Upstream problems carry `provider`.
         */
        post: operations["V1SessionsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a session */
        get: operations["V1SessionsSessionIdGetSession"];
        put?: never;
        post?: never;
        /**
         * Terminate a session
         * @description Ends the session now: the state becomes `terminated` at once and the provider is told to end it (delivered by the worker, retried until acknowledged). Terminating an ended session changes nothing.
         */
        delete: operations["V1SessionsSessionIdTerminate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a session from the widget
         * @description `Authorization: Bearer gr_pk_…`; the `Origin` must match the key's allow-list exactly. `Idempotency-Key` is refused here (`400 /problems/invalid-request`): a publishable key identifies no caller a stored answer, with its session tokens, could be handed back to. A start whose answer was lost ends by itself once its heartbeats stop; a backend that needs idempotent starts uses `POST /v1/sessions`.
         */
        post: operations["V1WidgetSessionsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/sessions/{session_id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a widget session (the visitor left)
         * @description `Authorization: Bearer <heartbeat.token>`. Idempotent.
         */
        post: operations["V1WidgetSessionsSessionIdEndEnd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/sessions/{session_id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Keep a widget session alive
         * @description `Authorization: Bearer <heartbeat.token>`. Answers the session's state; anything but `starting`/`active` tells the widget to stop.
         */
        post: operations["V1WidgetSessionsSessionIdHeartbeatHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agents */
        get: operations["V1AgentsListAgents"];
        put?: never;
        /** Create an agent */
        post: operations["V1AgentsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agent_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an agent */
        get: operations["V1AgentsAgentIdGetAgent"];
        put?: never;
        post?: never;
        /**
         * Delete an agent
         * @description Running sessions are not affected; their history keeps the agent's slug.
         */
        delete: operations["V1AgentsAgentIdDeleteAgent"];
        options?: never;
        head?: never;
        /**
         * Change an agent
         * @description Changes apply to sessions started afterwards.
         */
        patch: operations["V1AgentsAgentIdUpdateAgent"];
        trace?: never;
    };
    "/v1/credentials/{credential_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a provider key's metadata */
        get: operations["V1CredentialsCredentialIdGetCredential"];
        put?: never;
        post?: never;
        /**
         * Delete a provider key
         * @description New sessions of agents that need it get 409 `missing-credential`. An Avaturn key also ends sessions at Avaturn, and Greenroom does not record which of a tenant's Avaturn keys started a session: while any session of the tenant is live or its end has not yet been acknowledged by Avaturn, deleting an Avaturn key is refused (409 `credential-in-use`, naming those sessions in `sessions`). End them, wait for `upstream_ended_at`, then delete the key.
         */
        delete: operations["V1CredentialsCredentialIdDeleteCredential"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List provider keys */
        get: operations["V1CredentialsListCredentials"];
        put?: never;
        /**
         * Save a provider key
         * @description First checks the key's shape: printable ASCII without spaces, with the provider's prefix where it has one (OpenAI `sk-`, Cartesia `sk_car_`); anything else could never be sent and is refused (422 `credential-malformed`, naming the field) before the provider is asked. Then verifies the key with the provider (a harmless call) and stores it encrypted. A key the provider rejects is not saved (422 `credential-invalid`, explained). If the provider cannot check it (timeout, 5xx), the key is saved as `unverified` and `detail` says why, except where it would replace a verified key of the same provider and label: then nothing is saved, the verified key stays in use and the answer (504 `upstream-timeout` or 502 `upstream-error`) says so; save it again once the provider answers. Saving the same provider and label again replaces the key.
         */
        post: operations["V1CredentialsSave"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a widget key */
        get: operations["V1WidgetKeysKeyIdGetKey"];
        put?: never;
        post?: never;
        /**
         * Revoke a widget key
         * @description Takes effect on the next request, on every instance. Running sessions are not ended.
         */
        delete: operations["V1WidgetKeysKeyIdRevoke"];
        options?: never;
        head?: never;
        /**
         * Change a widget key
         * @description A JSON merge patch: the label, the origins (checked as when issued, and replaced whole), the agent it is restricted to (`null`: any agent) and its limits (`null`: the default). The next request with the key, on every instance, meets the new settings; live sessions go on. A revoked key cannot be changed (404).
         */
        patch: operations["V1WidgetKeysKeyIdChange"];
        trace?: never;
    };
    "/v1/widget-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List widget keys */
        get: operations["V1WidgetKeysListKeys"];
        put?: never;
        /** Issue a widget key */
        post: operations["V1WidgetKeysCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List server keys */
        get: operations["V1ApiKeysListKeys"];
        put?: never;
        /**
         * Issue a server key
         * @description The key is in this answer only.
         */
        post: operations["V1ApiKeysCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a server key's metadata */
        get: operations["V1ApiKeysKeyIdGetKey"];
        put?: never;
        post?: never;
        /**
         * Revoke a server key
         * @description Takes effect on the next request, on every instance.
         */
        delete: operations["V1ApiKeysKeyIdRevoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{key_id}/roll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll a server key
         * @description Issues a replacement with the same label and scopes (in this answer only) and lets the old key work for `grace_s` more seconds, so a backend can switch without downtime.
         */
        post: operations["V1ApiKeysKeyIdRollRoll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List audit events */
        get: operations["V1AuditEventsListEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["HealthzHealthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers */
        get: operations["ReadyzReadyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description This instance's counters and histograms, plus cluster-wide gauges of live sessions and the job queue read from the database, in Prometheus' text format 0.0.4. Send `GREENROOM_METRICS_TOKEN` as a bearer token; with none configured the endpoint is closed (401), except in dev mode, where it is open.
         */
        get: operations["MetricsMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/callback/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the provider sends the browser back */
        get: operations["AuthCallbackProviderCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start signing in with a provider
         * @description Redirects to the provider (authorization code flow, PKCE S256, state bound to this browser, nonce). Optional query: `next` (a path here) and `invitation` (a token from an invite link).
         */
        get: operations["AuthLoginProviderLogin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Revokes the session and clears its cookie; signed out already, it only clears the cookie (signing out never fails for want of a session). With a session, it needs the CSRF token (`X-CSRF-Token` or a `csrf_token` form field) and our Origin.
         */
        post: operations["AuthLogoutLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is signed in
         * @description The user, their tenants and roles, the active tenant, and the CSRF token for unsafe requests.
         */
        get: operations["AuthMeMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pick the active tenant
         * @description Body `{"tenant_id": …}` (JSON: answers the new `/auth/me`; or a form with `csrf_token` and an optional `next` path: redirects there). Alternatively send `X-Greenroom-Tenant` per request.
         */
        post: operations["AuthTenantPickTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/{member_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member
         * @description Their sessions lose access to this tenant at once. The last owner cannot be removed.
         */
        delete: operations["V1MembersMemberIdRemove"];
        options?: never;
        head?: never;
        /**
         * Change a member's role
         * @description Only an owner may make or unmake an owner; the last owner cannot be demoted.
         */
        patch: operations["V1MembersMemberIdChange"];
        trace?: never;
    };
    "/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List members */
        get: operations["V1MembersListMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List invitations */
        get: operations["V1InvitationsListInvitations"];
        put?: never;
        /**
         * Invite someone by email
         * @description Answers the invite link once. It is single-use, expires, and only the invited (verified) email may accept it.
         */
        post: operations["V1InvitationsCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an invitation */
        delete: operations["V1InvitationsInvitationIdRevoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This tenant: name, status and limits
         * @description The tenant the caller acts in: its name and slug, whether it is active or suspended, and the limits, minute budget and rounding the operator set. Readable by every role (`usage:read`), also while the tenant is suspended.
         */
        get: operations["V1TenantGetTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename this tenant
         * @description A JSON merge patch of what the tenant's owners and admins may change: its `name` (1 to 200 characters, at least one visible, no control characters; spaces around it are dropped). The slug never changes; limits and budget are the operator's. Audited as `tenant.updated`.
         */
        patch: operations["V1TenantChangeTenant"];
        trace?: never;
    };
    "/v1/operator/tenants/{tenant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set a tenant's limits */
        patch: operations["V1OperatorTenantsTenantIdChangeLimits"];
        trace?: never;
    };
    "/v1/operator/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants */
        get: operations["V1OperatorTenantsListTenants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/tenants/{tenant_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a suspended tenant */
        post: operations["V1OperatorTenantsTenantIdResumeResumeTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/tenants/{tenant_id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend a tenant
         * @description New sessions are refused (403 `tenant-suspended`) and every live session ends now.
         */
        post: operations["V1OperatorTenantsTenantIdSuspendSuspendTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List parked jobs
         * @description Jobs of every tenant that kept failing and were parked (a provider DELETE, a webhook delivery), newest first, with their last error. `greenroom jobs list` shows the same.
         */
        get: operations["V1OperatorJobsParked"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/jobs/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry parked jobs
         * @description Puts the given parked jobs back in the queue now, their attempts counted afresh; workers take them at once. `greenroom jobs retry` does the same.
         */
        post: operations["V1OperatorJobsRetryRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This month's usage and budget
         * @description Finished sessions from the ledger, what live sessions have used so far, the minute budget and what is left, billed seconds per day (for a chart), and whether new sessions are being refused right now and why (`starts_refused`: less than a minute of budget left, or the tenant suspended). Months are calendar months in UTC; a session counts in the month it started. Readable while the tenant is suspended.
         */
        get: operations["V1UsageMonth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/failures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Refused session starts, by problem type
         * @description How many session starts this tenant's callers were refused in the last `hours` hours (whole hours, the current one included; 24 by default, at most 168), grouped by the problem type they got (`quota-exhausted`, `concurrency-limit`, `missing-credential`, `upstream-timeout`, …), each split by channel. Counted once the caller is known as the tenant's (a server key or signed-in admin allowed to start sessions, a widget key on one of its origins); an unknown key, a page on an origin the key does not allow and a suspended tenant's starts are not counted.
         */
        get: operations["V1ReportsFailuresFailures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Ledger against the provider's record
         * @description Sessions whose metered upstream time differs from the provider's by more than 1 s, that the provider still runs though they ended here, or that ended without a ledger row. Needs a ground-truth source (the simulator in dev and tests; Avaturn has none).
         */
        get: operations["V1ReportsReconciliationReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Session history
         * @description Every session with its upstream and billed seconds and why it ended; newest first, filtered, paged with `cursor` (JSON). The CSV export holds every matching session. Add `format=csv` (or `Accept: text/csv`) for a CSV file: header row, ISO dates, whole seconds; a text cell that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or CR) gets a `'` in front.
         */
        get: operations["V1ReportsSessionsSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage by day or month, broken down
         * @description Sessions, upstream seconds and billed seconds per period, optionally by agent, widget key, page origin and end reason. Totals are the sums of the rows. Add `format=csv` (or `Accept: text/csv`) for a CSV file: header row, ISO dates, whole seconds; a text cell that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or CR) gets a `'` in front.
         */
        get: operations["V1ReportsUsageUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/reports/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Usage of every tenant for a period
         * @description Sessions, upstream and billed seconds per tenant (tenants without usage too), with totals. Add `format=csv` (or `Accept: text/csv`) for a CSV file: header row, ISO dates, whole seconds; a text cell that a spreadsheet would run as a formula (first character `=`, `+`, `-`, `@`, tab or CR) gets a `'` in front.
         */
        get: operations["V1OperatorReportsUsageUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook endpoints
         * @description Oldest first. Secrets are never shown again.
         */
        get: operations["V1WebhooksListWebhooks"];
        put?: never;
        /**
         * Add a webhook endpoint
         * @description Events of the chosen types are POSTed to `url` as JSON `{type, timestamp, data}`. The answer holds the signing secret (`whsec_…`), shown this once. Each request carries `webhook-id` (the same on every retry: drop duplicates), `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, per Standard Webhooks: any of its libraries verifies it with the secret. Answer 2xx within the timeout (10 s by default); anything else is retried, by default after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. An endpoint that keeps failing (by default: 15 attempts in a row over 5 days without a success) is disabled; the endpoint and the audit log say so.
         */
        post: operations["V1WebhooksCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a webhook endpoint
         * @description `disabled_at` and `disabled_reason` say when and why it stopped receiving events.
         */
        get: operations["V1WebhooksWebhookIdGetWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Events queued for it are dropped; its delivery log goes with it.
         */
        delete: operations["V1WebhooksWebhookIdDeleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description Change the URL, the event types or the description, or disable and enable it. Events already queued for it are sent to the URL it has when they are attempted.
         */
        patch: operations["V1WebhooksWebhookIdUpdateWebhook"];
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List delivery attempts
         * @description The endpoint's delivery log, newest first: one item per HTTP attempt, with the receiver's status, the time it took and what went wrong. Kept as long as the endpoint.
         */
        get: operations["V1WebhooksWebhookIdDeliveriesDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description Issues a new secret (in this answer only). The current one keeps signing alongside it for `grace_s` seconds (default a day): messages then carry two signatures, so receivers can switch at leisure.
         */
        post: operations["V1WebhooksWebhookIdRotateSecretRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event
         * @description Queues a `webhook.test` event for this endpoint alone, whatever its event types, signed and retried like any other; its attempts appear in the deliveries.
         */
        post: operations["V1WebhooksWebhookIdTestSendTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AgentList */
        AgentList: {
            items: components["schemas"]["AgentOut"][];
        };
        /** AgentOut */
        AgentOut: {
            /**
             * Format: uuid
             * @example 7d1c0b8e-2f4a-4e7b-9a51-0c3d2e1f4a5b
             */
            id: string;
            /** @example support */
            slug: string;
            /** @example Support assistant */
            name: string;
            engine: components["schemas"]["OpenAIRealtimeEngine"] | components["schemas"]["CartesiaEngine"];
            avatar: components["schemas"]["AvatarSettings"];
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            updated_at: string;
        };
        /** AgentPatch */
        AgentPatch: {
            /** @example Support assistant */
            name?: string;
            engine?: components["schemas"]["OpenAIRealtimeEnginePatch"] | components["schemas"]["CartesiaEnginePatch"];
            avatar?: components["schemas"]["AvatarSettingsPatch"];
        };
        /** AgentSpec */
        AgentSpec: {
            /**
             * @description Lower-case letters, digits and dashes.
             * @example support
             */
            slug: string;
            /** @example Support assistant */
            name: string;
            engine: components["schemas"]["OpenAIRealtimeEngine"] | components["schemas"]["CartesiaEngine"];
            avatar?: components["schemas"]["AvatarSettings"];
        };
        /** ApiKeyCreated */
        ApiKeyCreated: {
            /**
             * Format: uuid
             * @example 1f7a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b
             */
            id: string;
            /** @example billing backend */
            label: string;
            /**
             * @description The key's first characters, to recognise it.
             * @example gr_sk_Q3x9aB
             */
            prefix: string;
            /**
             * @example [
             *       "sessions:write",
             *       "sessions:read"
             *     ]
             */
            scopes: string[];
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * @description To the minute.
             * @example 2026-11-25T14:05:00Z
             */
            last_used_at: string | null;
            /** @example null */
            revoked_at: string | null;
            /**
             * @description Set when the key was rolled: it works until then.
             * @example null
             */
            expires_at: string | null;
            /**
             * @description The key that replaced this one.
             * @example null
             */
            replaced_by: string | null;
            /**
             * @description Shown once; Greenroom keeps only its hash.
             * @example gr_sk_Q3x9aB…
             */
            key: string;
        };
        /** ApiKeyIn */
        ApiKeyIn: {
            /**
             * @default default
             * @example billing backend
             */
            label?: string;
            /**
             * @example [
             *       "sessions:write",
             *       "sessions:read"
             *     ]
             */
            scopes: ("sessions:write" | "sessions:read" | "usage:read" | "admin")[];
        };
        /** ApiKeyList */
        ApiKeyList: {
            items: components["schemas"]["ApiKeyOut"][];
        };
        /** ApiKeyOut */
        ApiKeyOut: {
            /**
             * Format: uuid
             * @example 1f7a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b
             */
            id: string;
            /** @example billing backend */
            label: string;
            /**
             * @description The key's first characters, to recognise it.
             * @example gr_sk_Q3x9aB
             */
            prefix: string;
            /**
             * @example [
             *       "sessions:write",
             *       "sessions:read"
             *     ]
             */
            scopes: string[];
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * @description To the minute.
             * @example 2026-11-25T14:05:00Z
             */
            last_used_at: string | null;
            /** @example null */
            revoked_at: string | null;
            /**
             * @description Set when the key was rolled: it works until then.
             * @example null
             */
            expires_at: string | null;
            /**
             * @description The key that replaced this one.
             * @example null
             */
            replaced_by: string | null;
        };
        /** ApiKeyRoll */
        ApiKeyRoll: {
            /**
             * @description How long the old key keeps working.
             * @default 86400
             * @example 3600
             */
            grace_s?: number;
        };
        /** AuditEventOut */
        AuditEventOut: {
            /** @example 42 */
            id: number;
            /**
             * @description api_key | user | operator | system
             * @example user
             */
            actor_type: string;
            /** @example 5b0c… */
            actor_id: string | null;
            /**
             * @description For Greenroom itself (`system`): which part of it.
             * @example null
             */
            actor_label: string | null;
            /**
             * @description Who acted, in words: the user's name (or email), the server or widget key's label, or for `system` which part of Greenroom; null if the actor is gone.
             * @example Alice
             */
            actor_name: string | null;
            /** @example agent.updated */
            action: string;
            /** @example agent */
            target_type: string;
            /** @example 7d1c0b8e-2f4a-4e7b-9a51-0c3d2e1f4a5b */
            target_id: string | null;
            /**
             * @example {
             *       "name": "Sales"
             *     }
             */
            before: {
                [key: string]: unknown;
            } | null;
            /**
             * @example {
             *       "name": "Sales EU"
             *     }
             */
            after: {
                [key: string]: unknown;
            } | null;
            /** @example 203.0.113.7 */
            ip: string | null;
            /** @example curl/8.5.0 */
            user_agent: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
        };
        /** AuditEventPage */
        AuditEventPage: {
            items: components["schemas"]["AuditEventOut"][];
            /**
             * @description Pass as `cursor` for the next (older) page.
             * @example 17
             */
            next_cursor: number | null;
        };
        /** AvatarSettings */
        AvatarSettings: {
            /**
             * @default jane_20240829
             * @example jane_20240829
             */
            avatar_id?: string;
            /**
             * @default default
             * @enum {string}
             */
            background?: "default" | "transparent";
            /**
             * @default delta
             * @enum {string}
             */
            render_model?: "delta" | "golf";
            /**
             * @description Seconds without a user before the provider ends it.
             * @default 60
             * @example 60
             */
            user_absent_timeout?: number;
            /**
             * @description Longest session, seconds.
             * @default 3600
             * @example 1800
             */
            max_duration?: number;
        };
        /** AvatarSettingsPatch */
        AvatarSettingsPatch: {
            /** @example jane_20240829 */
            avatar_id?: string;
            /** @enum {string} */
            background?: "default" | "transparent";
            /** @enum {string} */
            render_model?: "delta" | "golf";
            /**
             * @description Seconds without a user before the provider ends it.
             * @example 60
             */
            user_absent_timeout?: number;
            /**
             * @description Longest session, seconds.
             * @example 1800
             */
            max_duration?: number;
        };
        /** BudgetOut */
        BudgetOut: {
            /**
             * @description null: no budget.
             * @example 6000
             */
            monthly_minutes: number | null;
            /**
             * @description Billed so far this month, live sessions included as if they ended now.
             * @example 51418
             */
            used_seconds: number;
            /** @example 308582 */
            remaining_seconds: number | null;
            /** @example second */
            rounding: string;
            /**
             * Format: date-time
             * @example 2026-12-01T00:00:00Z
             */
            resets_at: string;
        };
        /** CartesiaEngine */
        CartesiaEngine: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cartesia";
            /**
             * @description Cartesia Line agent id.
             * @example agent_3kd9…
             */
            agent_id: string;
        };
        /** CartesiaEnginePatch */
        CartesiaEnginePatch: {
            /** @constant */
            type?: "cartesia";
            /**
             * @description Cartesia Line agent id.
             * @example agent_3kd9…
             */
            agent_id?: string;
        };
        /** CreateSession */
        CreateSession: {
            /**
             * @description Slug of the agent to start.
             * @example demo
             */
            agent: string;
        };
        /** CredentialIn */
        CredentialIn: {
            /**
             * @example openai
             * @enum {string}
             */
            provider: "openai" | "avaturn" | "cartesia";
            /**
             * @default default
             * @example production
             */
            label?: string;
            /**
             * @description The provider's API key. Write-only: never returned. Printable ASCII without spaces, with the provider's prefix where it has one (OpenAI `sk-`, Cartesia `sk_car_`); anything else is refused with 422 `credential-malformed` before the provider is asked.
             * @example sk-proj-3x4mpl3K3yOnly4Docs
             */
            secret: string;
        };
        /** CredentialList */
        CredentialList: {
            items: components["schemas"]["CredentialOut"][];
        };
        /** CredentialOut */
        CredentialOut: {
            /**
             * Format: uuid
             * @example 0b9f5f0e-8a3c-4c61-9b1e-5b8f4f6c2d11
             */
            id: string;
            /** @example openai */
            provider: string;
            /** @example production */
            label: string;
            /**
             * @description Last four characters of the key.
             * @example x9Qa
             */
            last4: string;
            /**
             * @description SHA-256 prefix of the key, to tell two keys apart.
             * @example 3f2a9c0d1e4b5a67
             */
            fingerprint: string;
            /**
             * @description valid | invalid | unverified
             * @example valid
             */
            status: string;
            /** @example 2026-11-25T14:00:00Z */
            verified_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * @description Why the key could not be verified, if it could not.
             * @example null
             */
            detail?: string | null;
        };
        /** DayUsage */
        DayUsage: {
            /**
             * Format: date
             * @example 2026-11-24
             */
            day: string;
            /** @example 12 */
            sessions: number;
            /** @example 3020 */
            billed_seconds: number;
        };
        /** DeliveryOut */
        DeliveryOut: {
            /** @example 1042 */
            id: number;
            /**
             * @description `webhook-id`: the same on every attempt of one message.
             * @example msg_5c0d5b5f2d3e4a6b9e1f7a8c0b2d4e6f
             */
            message_id: string;
            /** @example session.ended */
            event_type: string;
            /**
             * @description 1 for the first try.
             * @example 2
             */
            attempt: number;
            /**
             * @example failed
             * @enum {string}
             */
            outcome: "succeeded" | "failed";
            /**
             * @description The receiver's HTTP status; none if it could not be reached.
             * @example 503
             */
            status_code: number | null;
            /** @example 84 */
            duration_ms: number;
            /** @example HTTP 503: upstream unavailable */
            error: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:05Z
             */
            attempted_at: string;
            /**
             * @description When the next attempt is due; none after a success or the last try.
             * @example 2026-11-25T14:05:05Z
             */
            next_attempt_at: string | null;
        };
        /** DeliveryPage */
        DeliveryPage: {
            items: components["schemas"]["DeliveryOut"][];
            /**
             * @description Pass as `cursor` for the next (older) page.
             * @example 1001
             */
            next_cursor: number | null;
        };
        /** DevHint */
        DevHint: {
            /**
             * @description Per provider: the dev stack's simulator accepts any key that starts with this and goes on (`sk-dev-mine`), besides the demo tenant's generated keys.
             * @example {
             *       "openai": "sk-dev-",
             *       "avaturn": "av-dev-",
             *       "cartesia": "sk_car_dev"
             *     }
             */
            simulator_key_prefixes: {
                [key: string]: string;
            };
            /** @example Development mode: … */
            note: string;
        };
        /** FailureCount */
        FailureCount: {
            /**
             * @description The problem type the callers got: `/problems/<problem>`.
             * @example quota-exhausted
             */
            problem: string;
            /** @example This month's minutes are used up */
            title: string;
            /** @example 429 */
            status: number;
            /**
             * @description Starts refused with it in the window.
             * @example 9
             */
            count: number;
            /**
             * @description Of which by server keys and signed-in admins.
             * @example 2
             */
            api: number;
            /**
             * @description Of which by the widget on a tenant page.
             * @example 7
             */
            widget: number;
            /**
             * Format: date-time
             * @description The latest one.
             * @example 2026-11-25T13:58:02Z
             */
            last_at: string;
        };
        /** FailureReport */
        FailureReport: {
            /**
             * Format: date-time
             * @description The start of the first hour counted (whole hours, UTC).
             * @example 2026-11-24T14:00:00Z
             */
            since: string;
            /**
             * Format: date-time
             * @example 2026-11-25T14:03:12Z
             */
            until: string;
            /** @example 11 */
            total: number;
            /** @description One per problem type, the most frequent first; empty when none. */
            items: components["schemas"]["FailureCount"][];
        };
        /** FunctionTool */
        FunctionTool: {
            /**
             * @default function
             * @constant
             */
            type?: "function";
            /** @example lookup_order */
            name: string;
            /**
             * @default
             * @example Find an order by its number.
             */
            description?: string;
            /** @description JSON Schema of the arguments. */
            parameters?: {
                [key: string]: unknown;
            };
        };
        /** Heartbeat */
        Heartbeat: {
            /** @example https://greenroom.example.com/v1/widget/sessions/5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c/heartbeat */
            url: string;
            /**
             * @description Bearer token for this session's heartbeat and end calls.
             * @example gr_st_3q2…
             */
            token: string;
            /** @example 20 */
            interval_s: number;
        };
        /** HeartbeatAnswer */
        HeartbeatAnswer: {
            /**
             * @description The session's state; anything but starting/active means stop.
             * @example active
             */
            state: string;
            /**
             * @description When it ended, or when it will end at the latest.
             * @example 2026-11-25T15:00:01Z
             */
            ends_at: string | null;
        };
        /** InvitationCreated */
        InvitationCreated: {
            /**
             * Format: uuid
             * @example 7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f
             */
            id: string;
            /** @example bob@example.com */
            email: string;
            /** @example admin */
            role: string;
            /**
             * Format: date-time
             * @example 2026-12-02T14:00:00Z
             */
            expires_at: string;
            /** @example null */
            accepted_at: string | null;
            /** @example null */
            revoked_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * @description Send this link to the invitee. Shown once; Greenroom keeps only a hash of its token.
             * @example https://greenroom.example.com/auth/invitations/gr_inv_…
             */
            url: string;
        };
        /** InvitationIn */
        InvitationIn: {
            /** @example bob@example.com */
            email: string;
            /**
             * @default viewer
             * @example admin
             * @enum {string}
             */
            role?: "owner" | "admin" | "billing" | "viewer";
        };
        /** InvitationList */
        InvitationList: {
            items: components["schemas"]["InvitationOut"][];
        };
        /** InvitationOut */
        InvitationOut: {
            /**
             * Format: uuid
             * @example 7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f
             */
            id: string;
            /** @example bob@example.com */
            email: string;
            /** @example admin */
            role: string;
            /**
             * Format: date-time
             * @example 2026-12-02T14:00:00Z
             */
            expires_at: string;
            /** @example null */
            accepted_at: string | null;
            /** @example null */
            revoked_at: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
        };
        /** JobList */
        JobList: {
            items: components["schemas"]["JobOut"][];
        };
        /** JobOut */
        JobOut: {
            /** @example 4211 */
            id: number;
            /**
             * Format: uuid
             * @example d6bd06f5-f0ea-447b-8a5f-da25e6f0cb67
             */
            tenant_id: string;
            /**
             * @description `avaturn.delete_session` or `webhook.deliver`.
             * @example avaturn.delete_session
             */
            kind: string;
            /**
             * @description Attempts before it was parked.
             * @example 12
             */
            attempts: number;
            /** @example Avaturn answered 503 (upstream-busy) */
            last_error: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
        };
        /** LimitsPatch */
        LimitsPatch: {
            /** @example 5 */
            max_concurrent_sessions?: number | null;
            /** @example 1800 */
            max_session_s?: number | null;
            /** @example 6000 */
            monthly_minutes?: number | null;
            /**
             * @default second
             * @example minute
             * @enum {string}
             */
            billing_rounding?: "second" | "minute";
        };
        /** Me */
        Me: {
            user: components["schemas"]["UserOut"];
            /**
             * @description An operator account (from settings).
             * @example false
             */
            operator: boolean;
            /**
             * @description Admin calls act in this tenant unless X-Greenroom-Tenant says otherwise.
             * @example 0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b
             */
            active_tenant_id: string | null;
            memberships: components["schemas"]["MembershipOut"][];
            /**
             * @description Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with the session cookie.
             * @example 9f2c…
             */
            csrf_token: string;
            /** @description Only in development mode (`greenroom dev`): which provider keys its simulator accepts. */
            dev_hint: components["schemas"]["DevHint"] | null;
        };
        /** MemberList */
        MemberList: {
            items: components["schemas"]["MemberOut"][];
        };
        /** MemberOut */
        MemberOut: {
            /**
             * Format: uuid
             * @example 7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f
             */
            id: string;
            /**
             * Format: uuid
             * @example 5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d
             */
            user_id: string;
            /** @example bob@example.com */
            email: string | null;
            /** @example Bob */
            name: string | null;
            /** @example https://accounts.google.com */
            issuer: string;
            /** @example admin */
            role: string;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
        };
        /** MemberPatch */
        MemberPatch: {
            /**
             * @example viewer
             * @enum {string}
             */
            role: "owner" | "admin" | "billing" | "viewer";
        };
        /** MembershipOut */
        MembershipOut: {
            /**
             * Format: uuid
             * @example 0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b
             */
            tenant_id: string;
            /** @example Acme */
            tenant_name: string;
            /** @example acme */
            tenant_slug: string;
            /**
             * @description `active`, or `suspended`: its members keep reading sessions, usage and reports, nothing else.
             * @example active
             */
            tenant_status: string;
            /** @example owner */
            role: string;
        };
        /** Mismatch */
        Mismatch: {
            /** @example 5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c */
            session_id: string | null;
            /** @example null */
            tenant_id: string | null;
            /** @example ses_3Jd… */
            upstream_session_id: string;
            /**
             * @description duration_differs | running_at_provider | not_metered | unknown_to_provider | unknown_to_greenroom
             * @example duration_differs
             */
            problem: string;
            /** @example 63.2 */
            ledger_seconds: number | null;
            /** @example 60 */
            provider_seconds: number | null;
            /** @example Ledger 63.200 s, provider 60.000 s (provider's end: user_absent). */
            detail: string;
        };
        /** MonthUsage */
        MonthUsage: {
            /** @example 2026-11 */
            month: string;
            /** @description Sessions of the month whose end the provider acknowledged (the ledger). */
            finished: components["schemas"]["Totals"];
            /** @description Billed seconds per day the sessions started (UTC). */
            days: components["schemas"]["DayUsage"][];
            /** @description For the current month only. */
            budget: components["schemas"]["BudgetOut"] | null;
            /**
             * @description Whether every new session is refused right now (whatever month was asked for): `budget` when less than a minute of this month's budget is left (a session needs a minute to start), `suspended` when the operator suspended the tenant; null when sessions can start (limits on live sessions aside).
             * @example null
             * @enum {null|string}
             */
            starts_refused: "budget" | "suspended" | null;
            /**
             * @description Why, in words, with when it ends; null when sessions can start.
             * @example null
             */
            starts_refused_reason: string | null;
        };
        /** OpenAIRealtimeEngine */
        OpenAIRealtimeEngine: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "openai-realtime";
            /**
             * @default gpt-realtime
             * @example gpt-realtime
             */
            model?: string;
            /**
             * @default marin
             * @example marin
             * @enum {string}
             */
            voice?: "alloy" | "ash" | "ballad" | "coral" | "echo" | "sage" | "shimmer" | "verse" | "marin" | "cedar";
            /** @default 1 */
            speed?: number;
            /**
             * @default
             * @example You are a friendly support assistant for Acme.
             */
            instructions?: string;
            tools?: components["schemas"]["FunctionTool"][];
            /**
             * @default auto
             * @enum {string}
             */
            tool_choice?: "auto" | "none" | "required";
            /** @description `null` turns automatic turn detection off. */
            turn_detection?: components["schemas"]["ServerVad"] | components["schemas"]["SemanticVad"] | null;
            /** @description Transcribe the visitor's speech (transcript events). */
            transcription?: components["schemas"]["Transcription"] | null;
        };
        /** OpenAIRealtimeEnginePatch */
        OpenAIRealtimeEnginePatch: {
            /** @constant */
            type?: "openai-realtime";
            /** @example gpt-realtime */
            model?: string;
            /**
             * @example marin
             * @enum {string}
             */
            voice?: "alloy" | "ash" | "ballad" | "coral" | "echo" | "sage" | "shimmer" | "verse" | "marin" | "cedar";
            speed?: number;
            /** @example You are a friendly support assistant for Acme. */
            instructions?: string;
            tools?: components["schemas"]["FunctionTool"][];
            /** @enum {string} */
            tool_choice?: "auto" | "none" | "required";
            /** @description `null` turns automatic turn detection off. */
            turn_detection?: components["schemas"]["ServerVadPatch"] | components["schemas"]["SemanticVadPatch"] | null;
            /** @description Transcribe the visitor's speech (transcript events). */
            transcription?: components["schemas"]["TranscriptionPatch"] | null;
        };
        /** ProblemDocument */
        ProblemDocument: {
            type: string;
            title: string;
            status: number;
            detail?: string | null;
            instance?: string | null;
        };
        /** Reconciliation */
        Reconciliation: {
            /** @example 2026-11 */
            month: string;
            /** @description Empty when the ledger and the provider agree. */
            mismatches: components["schemas"]["Mismatch"][];
        };
        /** Retried */
        Retried: {
            /**
             * @description The ids put back in the queue; ids not parked are left out.
             * @example [
             *       4211
             *     ]
             */
            retried: number[];
        };
        /** RetryJobs */
        RetryJobs: {
            /**
             * @description Parked jobs to retry now.
             * @example [
             *       4211
             *     ]
             */
            ids: number[];
        };
        /** RotateSecret */
        RotateSecret: {
            /**
             * @description How long the current secret keeps signing too (messages carry both signatures), so receivers can switch without dropping events. 0 retires it now.
             * @default 86400
             * @example 3600
             */
            grace_s?: number;
        };
        /** SecretRotated */
        SecretRotated: {
            /**
             * Format: uuid
             * @description The endpoint.
             * @example 3f6c1a0e-8b0d-4f57-9d52-7a4e1c2b9e10
             */
            id: string;
            /**
             * @description The new signing secret, in this answer only.
             * @example whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD
             */
            secret: string;
            /**
             * @description Until when the previous secret signs as well.
             * @example 2026-11-26T14:00:00Z
             */
            previous_expires_at: string | null;
        };
        /** SemanticVad */
        SemanticVad: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "semantic_vad";
            /**
             * @default auto
             * @enum {string}
             */
            eagerness?: "low" | "medium" | "high" | "auto";
        };
        /** SemanticVadPatch */
        SemanticVadPatch: {
            /** @constant */
            type?: "semantic_vad";
            /** @enum {string} */
            eagerness?: "low" | "medium" | "high" | "auto";
        };
        /** SentTestEvent */
        SentTestEvent: {
            /**
             * @description The `webhook-id` it is sent with; see the endpoint's deliveries.
             * @example msg_5c0d5b5f2d3e4a6b9e1f7a8c0b2d4e6f
             */
            message_id: string;
            /** @example webhook.test */
            type: string;
        };
        /** ServerVad */
        ServerVad: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "server_vad";
            /** @default 0.5 */
            threshold?: number;
            /** @default 300 */
            prefix_padding_ms?: number;
            /** @default 500 */
            silence_duration_ms?: number;
        };
        /** ServerVadPatch */
        ServerVadPatch: {
            /** @constant */
            type?: "server_vad";
            threshold?: number;
            prefix_padding_ms?: number;
            silence_duration_ms?: number;
        };
        /** SessionList */
        SessionList: {
            items: components["schemas"]["SessionOut"][];
            /**
             * @description Pass as `cursor` for the next page; null on the last.
             * @example null
             */
            next_cursor?: string | null;
        };
        /** SessionOut */
        SessionOut: {
            /**
             * Format: uuid
             * @example 5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c
             */
            id: string;
            /**
             * @description Slug of the agent.
             * @example demo
             */
            agent: string;
            /** @example openai-realtime */
            engine: string;
            /**
             * @description starting | active | ended | terminated | failed
             * @example terminated
             */
            state: string;
            /**
             * @description Why it ended: client_ended, api_terminated, upstream_error, …
             * @example api_terminated
             */
            end_reason: string | null;
            /**
             * @description Page origin, for widget sessions.
             * @example https://shop.example
             */
            origin: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * @description Provider acknowledged the session (database clock).
             * @example 2026-11-25T14:00:01Z
             */
            started_at: string | null;
            /** @example 2026-11-25T14:03:12Z */
            ended_at: string | null;
            /**
             * @description Start + max duration.
             * @example 2026-11-25T15:00:01Z
             */
            expires_at: string | null;
            /**
             * @description Whole seconds from upstream start to end, once ended.
             * @example 191
             */
            duration_s: number | null;
            /**
             * @description What failed, for failed sessions.
             * @example null
             */
            error: string | null;
            /**
             * @description Metered provider time, once the provider acknowledged the end.
             * @example 192
             */
            upstream_seconds?: number | null;
            /**
             * @description By the plan's rounding, once the provider acknowledged the end.
             * @example 192
             */
            billed_seconds?: number | null;
        };
        /** SessionStarted */
        SessionStarted: {
            /**
             * Format: uuid
             * @example 5f0c2a8e-3c1b-4e0a-9b7e-2d3c4f5a6b7c
             */
            session_id: string;
            /**
             * @description Per-session token for the browser SDK (`sessionToken`).
             * @example tok_7Hq…
             */
            token: string;
            /**
             * @description `apiHost` for the browser SDK.
             * @example https://api.avaturn.live
             */
            avaturn_api_host: string;
            /**
             * Format: date-time
             * @description When Greenroom ends the session at the latest (max duration).
             * @example 2026-11-25T15:00:01Z
             */
            expires_at: string;
            heartbeat: components["schemas"]["Heartbeat"];
        };
        /** Suspended */
        Suspended: {
            tenant: components["schemas"]["TenantOut"];
            /**
             * @description Live sessions ended now (`tenant_suspended`).
             * @example 3
             */
            sessions_ended: number;
        };
        /** TenantList */
        TenantList: {
            items: components["schemas"]["TenantOut"][];
        };
        /** TenantOut */
        TenantOut: {
            /**
             * Format: uuid
             * @example d6bd06f5-f0ea-447b-8a5f-da25e6f0cb67
             */
            id: string;
            /** @example Acme */
            name: string;
            /** @example acme */
            slug: string;
            /**
             * @description active | suspended
             * @example active
             */
            status: string;
            /**
             * @description null: no limit of Greenroom's own.
             * @example 5
             */
            max_concurrent_sessions: number | null;
            /** @example 1800 */
            max_session_s: number | null;
            /**
             * @description Minute budget per calendar month (UTC); null: none.
             * @example 6000
             */
            monthly_minutes: number | null;
            /**
             * @description `second`, or `minute` (each started minute bills whole).
             * @example second
             */
            billing_rounding: string;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
        };
        /** TenantPatch */
        TenantPatch: {
            /**
             * @description Shown to members, on invitations and in the operator's reports; leading and trailing spaces are dropped.
             * @example Acme Support
             */
            name?: string;
        };
        /**
         * Totals
         * @description Sessions of the month whose end the provider acknowledged (the ledger).
         */
        Totals: {
            /** @example 412 */
            sessions: number;
            /**
             * @description Provider time, whole seconds per session, summed.
             * @example 51234
             */
            upstream_seconds: number;
            /**
             * @description By the plan's rounding.
             * @example 51418
             */
            billed_seconds: number;
        };
        /** Transcription */
        Transcription: {
            /**
             * @default gpt-4o-mini-transcribe
             * @enum {string}
             */
            model?: "gpt-4o-transcribe" | "gpt-4o-mini-transcribe" | "whisper-1";
            /** @description ISO-639-1, e.g. `en`. */
            language?: string | null;
            prompt?: string | null;
        };
        /** TranscriptionPatch */
        TranscriptionPatch: {
            /** @enum {string} */
            model?: "gpt-4o-transcribe" | "gpt-4o-mini-transcribe" | "whisper-1";
            /** @description ISO-639-1, e.g. `en`. */
            language?: string | null;
            prompt?: string | null;
        };
        /** UserOut */
        UserOut: {
            /**
             * Format: uuid
             * @example 5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d
             */
            id: string;
            /** @example https://accounts.google.com */
            issuer: string;
            /** @example 110169484474386276334 */
            subject: string;
            /** @example alice@example.com */
            email: string | null;
            /** @example Alice */
            name: string | null;
        };
        /** WebhookCreated */
        WebhookCreated: {
            /**
             * Format: uuid
             * @example 3f6c1a0e-8b0d-4f57-9d52-7a4e1c2b9e10
             */
            id: string;
            /** @example https://api.shop.example/greenroom/webhooks */
            url: string;
            /** @example Billing sync */
            description: string;
            /**
             * @example [
             *       "session.ended",
             *       "quota.threshold"
             *     ]
             */
            events: string[];
            /** @example true */
            enabled: boolean;
            /**
             * @description When it was disabled, by its owner or for failing.
             * @example null
             */
            disabled_at: string | null;
            /** @example null */
            disabled_reason: string | null;
            /**
             * @description Failed attempts since the last success.
             * @example 0
             */
            consecutive_failures: number;
            /**
             * @description First failure since the last success.
             * @example null
             */
            failing_since: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            updated_at: string;
            /**
             * @description The signing secret, in this answer only: verify `webhook-signature` with it (any Standard Webhooks library).
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        /** WebhookIn */
        WebhookIn: {
            /**
             * @description Where events are POSTed: `https://`, a public host.
             * @example https://api.shop.example/greenroom/webhooks
             */
            url: string;
            /**
             * @description Event types this endpoint receives: `session.started`, `session.ended`, `session.terminated`, `quota.threshold`, `credential.invalid`.
             * @example [
             *       "session.ended",
             *       "quota.threshold"
             *     ]
             */
            events?: ("session.started" | "session.ended" | "session.terminated" | "quota.threshold" | "credential.invalid")[];
            /**
             * @default
             * @example Billing sync
             */
            description?: string;
            /**
             * @default true
             * @example true
             */
            enabled?: boolean;
        };
        /** WebhookList */
        WebhookList: {
            items: components["schemas"]["WebhookOut"][];
        };
        /** WebhookOut */
        WebhookOut: {
            /**
             * Format: uuid
             * @example 3f6c1a0e-8b0d-4f57-9d52-7a4e1c2b9e10
             */
            id: string;
            /** @example https://api.shop.example/greenroom/webhooks */
            url: string;
            /** @example Billing sync */
            description: string;
            /**
             * @example [
             *       "session.ended",
             *       "quota.threshold"
             *     ]
             */
            events: string[];
            /** @example true */
            enabled: boolean;
            /**
             * @description When it was disabled, by its owner or for failing.
             * @example null
             */
            disabled_at: string | null;
            /** @example null */
            disabled_reason: string | null;
            /**
             * @description Failed attempts since the last success.
             * @example 0
             */
            consecutive_failures: number;
            /**
             * @description First failure since the last success.
             * @example null
             */
            failing_since: string | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            updated_at: string;
        };
        /** WebhookPatch */
        WebhookPatch: {
            /**
             * @description Where events are POSTed: `https://`, a public host.
             * @example https://api.shop.example/greenroom/webhooks
             */
            url?: string;
            /**
             * @description Event types this endpoint receives: `session.started`, `session.ended`, `session.terminated`, `quota.threshold`, `credential.invalid`.
             * @example [
             *       "session.ended",
             *       "quota.threshold"
             *     ]
             */
            events?: ("session.started" | "session.ended" | "session.terminated" | "quota.threshold" | "credential.invalid")[];
            /** @example Billing sync */
            description?: string;
            /** @example true */
            enabled?: boolean;
        };
        /** WidgetKeyIn */
        WidgetKeyIn: {
            /**
             * @default default
             * @example marketing site
             */
            label?: string;
            /**
             * @description Exact origins: scheme://host[:port].
             * @example [
             *       "https://www.example.com"
             *     ]
             */
            allowed_origins: string[];
            /**
             * @description Restrict the key to one agent (slug); null: any agent.
             * @example support
             */
            agent?: string | null;
            /**
             * @description New sessions a minute with this key; null: the server's default.
             * @example 60
             */
            rate_per_minute?: number | null;
            /**
             * @description New sessions a minute per visitor; null: the server's default.
             * @example 5
             */
            visitor_rate_per_minute?: number | null;
            /**
             * @description Live sessions at once with this key (under the tenant's and the agent's limits); null: no limit of the key's own.
             * @example 10
             */
            max_concurrent_sessions?: number | null;
        };
        /** WidgetKeyList */
        WidgetKeyList: {
            items: components["schemas"]["WidgetKeyOut"][];
        };
        /** WidgetKeyOut */
        WidgetKeyOut: {
            /**
             * Format: uuid
             * @example 1f7a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b
             */
            id: string;
            /** @example marketing site */
            label: string;
            /**
             * @description Publishable: put it in the page.
             * @example gr_pk_Yx2…
             */
            key: string;
            /**
             * @example [
             *       "https://www.example.com"
             *     ]
             */
            allowed_origins: string[];
            /**
             * @description The one agent the key may start; null: any.
             * @example null
             */
            agent_id: string | null;
            /**
             * @description null: the server's default.
             * @example null
             */
            rate_per_minute: number | null;
            /**
             * @description null: the server's default.
             * @example null
             */
            visitor_rate_per_minute: number | null;
            /**
             * @description null: no limit of the key's own.
             * @example null
             */
            max_concurrent_sessions: number | null;
            /**
             * Format: date-time
             * @example 2026-11-25T14:00:00Z
             */
            created_at: string;
            /** @example null */
            revoked_at: string | null;
        };
        /** WidgetKeyPatch */
        WidgetKeyPatch: {
            /** @example marketing site */
            label?: string;
            /**
             * @description Exact origins: scheme://host[:port].
             * @example [
             *       "https://www.example.com"
             *     ]
             */
            allowed_origins?: string[];
            /**
             * @description Restrict the key to one agent (slug); null: any agent.
             * @example support
             */
            agent?: string | null;
            /**
             * @description New sessions a minute with this key; null: the server's default.
             * @example 60
             */
            rate_per_minute?: number | null;
            /**
             * @description New sessions a minute per visitor; null: the server's default.
             * @example 5
             */
            visitor_rate_per_minute?: number | null;
            /**
             * @description Live sessions at once with this key (under the tenant's and the agent's limits); null: no limit of the key's own.
             * @example 10
             */
            max_concurrent_sessions?: number | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    V1SessionsListSessions: {
        parameters: {
            query?: {
                /** @description starting | active | ended | terminated | failed */
                state?: "starting" | "active" | "ended" | "terminated" | "failed";
                /** @description Agent slug. */
                agent?: string | null;
                /** @description e.g. client_ended. */
                end_reason?: string | null;
                /** @description Sessions created at or after this time. */
                created_from?: string | null;
                /** @description Sessions created before this time. */
                created_to?: string | null;
                /** @description Items per page, 1 to 500. */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1SessionsCreate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the create safe to retry: a replay with the same body returns the first answer (header `Idempotent-Replayed: true`); the same key with another body is refused (422); a duplicate while the first is running gets 409. Up to 255 visible ASCII characters (a UUID is a good key), kept 24 hours. A key belongs to the caller that sent it — this server key, or this signed-in admin — never to the whole tenant: another key or admin using the same value gets a request of its own, never your answer. `POST /v1/widget/sessions` refuses the header (400): a publishable key identifies no caller a stored answer (with its session tokens) could belong to. */
                "Idempotency-Key"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSession"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionStarted"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown agent (`/problems/unknown-agent`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The tenant has no provider key for this engine; A request with this Idempotency-Key is still running (`/problems/missing-credential`, `/problems/idempotency-in-progress`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Idempotency-Key reused with a different request (`/problems/idempotency-mismatch`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Too many live sessions; This month's minutes are used up (`/problems/concurrency-limit`, `/problems/quota-exhausted`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider rejected the tenant's key; The provider rejected the request; The provider failed (`/problems/upstream-auth-failed`, `/problems/upstream-rejected`, `/problems/upstream-error`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider is limiting requests (`/problems/upstream-busy`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider did not answer in time (`/problems/upstream-timeout`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1SessionsSessionIdGetSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown session (`/problems/session-not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1SessionsSessionIdTerminate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request accepted, processing continues off-line */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown session (`/problems/session-not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetSessionsCreate: {
        parameters: {
            query?: never;
            header?: {
                /** @description `Bearer <key or session token>` */
                Authorization?: string | null;
                Origin?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSession"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionStarted"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key (`/problems/unknown-key`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The tenant is suspended; This origin may not use this widget key; This widget key may not start this agent (`/problems/tenant-suspended`, `/problems/origin-not-allowed`, `/problems/agent-not-allowed`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown agent (`/problems/unknown-agent`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The tenant has no provider key for this engine (`/problems/missing-credential`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Too many live sessions; This month's minutes are used up; Too many new sessions (`/problems/concurrency-limit`, `/problems/quota-exhausted`, `/problems/rate-limited`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider rejected the tenant's key; The provider rejected the request; The provider failed (`/problems/upstream-auth-failed`, `/problems/upstream-rejected`, `/problems/upstream-error`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider is limiting requests (`/problems/upstream-busy`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider did not answer in time (`/problems/upstream-timeout`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetSessionsSessionIdEndEnd: {
        parameters: {
            query?: never;
            header?: {
                /** @description `Bearer <key or session token>` */
                Authorization?: string | null;
                Origin?: string | null;
            };
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeartbeatAnswer"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or expired session token (`/problems/invalid-session-token`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetSessionsSessionIdHeartbeatHeartbeat: {
        parameters: {
            query?: never;
            header?: {
                /** @description `Bearer <key or session token>` */
                Authorization?: string | null;
                Origin?: string | null;
            };
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeartbeatAnswer"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or expired session token (`/problems/invalid-session-token`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1AgentsListAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1AgentsCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentSpec"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description It already exists (`/problems/conflict`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1AgentsAgentIdGetAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1AgentsAgentIdDeleteAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, nothing follows */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1AgentsAgentIdUpdateAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agent_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentPatch"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1CredentialsCredentialIdGetCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                credential_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1CredentialsCredentialIdDeleteCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                credential_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, nothing follows */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sessions still need this provider key to be ended (`/problems/credential-in-use`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1CredentialsListCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1CredentialsSave: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CredentialIn"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description This cannot be a key of that provider; The provider rejected this key (`/problems/credential-malformed`, `/problems/credential-invalid`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider failed (`/problems/upstream-error`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The provider did not answer in time (`/problems/upstream-timeout`) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetKeysKeyIdGetKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetKeyOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetKeysKeyIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetKeyOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetKeysKeyIdChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetKeyPatch"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetKeyOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found; Unknown agent (`/problems/not-found`, `/problems/unknown-agent`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetKeysListKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetKeyList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WidgetKeysCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetKeyIn"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetKeyOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown agent (`/problems/unknown-agent`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ApiKeysListKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ApiKeysCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyIn"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ApiKeysKeyIdGetKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ApiKeysKeyIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ApiKeysKeyIdRollRoll: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyRoll"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1AuditEventsListEvents: {
        parameters: {
            query?: {
                /** @description Actor id (user or key id). */
                actor?: string | null;
                /** @description Exact action, e.g. `agent.updated`, or a prefix ending in `.`. */
                action?: string | null;
                /** @description Target object id. */
                target?: string | null;
                /** @description Events at or after this time. */
                since?: string | null;
                /** @description Events before this time. */
                until?: string | null;
                /** @description `next_cursor` of the previous page. */
                cursor?: number | null;
                /** @description Items per page, 1 to 500. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    HealthzHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    ReadyzReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    MetricsMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4; charset=utf-8": string;
                };
            };
            /** @description Unknown or revoked key (`/problems/unknown-key`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    AuthCallbackProviderCallback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Object moved -- see Method and URL list */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description This sign-in did not start in this browser, or it expired; The identity provider did not complete the sign-in; The answer came from a different identity provider; The identity provider's ID token did not verify (`/problems/sign-in-state-mismatch`, `/problems/sign-in-failed`, `/problems/issuer-mismatch`, `/problems/id-token-invalid`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Self-serve sign-up is turned off; The invitation is for a different email address (`/problems/signup-disabled`, `/problems/invitation-email-mismatch`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description No such sign-in provider (`/problems/unknown-provider`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The invitation is unknown, used, revoked or expired (`/problems/invitation-invalid`) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    AuthLoginProviderLogin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Object moved temporarily -- see URI list */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Bad request syntax or unsupported method */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status_code: number;
                        detail: string;
                        extra?: null | {
                            [key: string]: unknown;
                        } | unknown[];
                    };
                };
            };
            /** @description No such sign-in provider (`/problems/unknown-provider`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The identity provider could not be reached (`/problems/identity-provider-unavailable`) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    AuthLogoutLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out: the session cookie is cleared. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description From the sign-out form of a page: back to the start page. */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or wrong CSRF token or Origin (`/problems/csrf-failed`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    AuthMeMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Sign in first (`/problems/not-signed-in`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    AuthTenantPickTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first (`/problems/not-signed-in`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; You are not a member of this tenant (`/problems/csrf-failed`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1MembersMemberIdRemove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                member_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, nothing follows */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description A tenant needs at least one owner (`/problems/last-owner`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1MembersMemberIdChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                member_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MemberPatch"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description A tenant needs at least one owner (`/problems/last-owner`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1MembersListMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1InvitationsListInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1InvitationsCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationIn"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1InvitationsInvitationIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invitation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1TenantGetTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1TenantChangeTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantPatch"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorTenantsTenantIdChangeLimits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LimitsPatch"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorTenantsListTenants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorTenantsTenantIdResumeResumeTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantOut"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorTenantsTenantIdSuspendSuspendTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suspended"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorJobsParked: {
        parameters: {
            query?: {
                /** @description Items per page, 1 to 500. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorJobsRetryRetry: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RetryJobs"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Retried"];
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1UsageMonth: {
        parameters: {
            query?: {
                /** @description YYYY-MM; default: this month. */
                month?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonthUsage"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ReportsFailuresFailures: {
        parameters: {
            query?: {
                /** @description 1 to 168; default 24. */
                hours?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FailureReport"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ReportsReconciliationReconciliation: {
        parameters: {
            query?: {
                /** @description YYYY-MM; default: this month. */
                month?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reconciliation"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description No record of the provider's to reconcile against (`/problems/reconciliation-unavailable`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ReportsSessionsSessions: {
        parameters: {
            query?: {
                agent?: string | null;
                widget_key_id?: string | null;
                api_key_id?: string | null;
                /** @description starting | active | ended | terminated | failed */
                state?: "starting" | "active" | "ended" | "terminated" | "failed";
                end_reason?: string | null;
                /** @description Sessions created at or after this time. */
                created_from?: string | null;
                /** @description Sessions created before this time. */
                created_to?: string | null;
                /** @description Items per page, 1 to 500. */
                limit?: number;
                cursor?: string | null;
                /** @description `json` (default) or `csv`. */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/csv": string;
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1ReportsUsageUsage: {
        parameters: {
            query: {
                /** @description First day (UTC), e.g. 2026-11-01. */
                from: string;
                /** @description Last day, inclusive. */
                to: string;
                /** @description `day` or `month`. */
                period?: "day" | "month";
                /** @description Comma-separated: agent, widget_key, origin, end_reason. */
                by?: string | null;
                /** @description `json` (default) or `csv`. */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/csv": string;
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1OperatorReportsUsageUsage: {
        parameters: {
            query: {
                /** @description First day (UTC). */
                from: string;
                /** @description Last day, inclusive. */
                to: string;
                /** @description `json` (default) or `csv`. */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/csv": string;
                };
            };
            /** @description The request is not valid (`/problems/invalid-request`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Sign in first; The sign-in session expired or was revoked (`/problems/not-signed-in`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Missing or wrong CSRF token or Origin; Operator accounts only (`/problems/csrf-failed`, `/problems/not-an-operator`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksListWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookIn"];
            };
        };
        responses: {
            /** @description Document created, URL follows */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Too many webhook endpoints (`/problems/webhook-limit`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description This webhook URL is not allowed (`/problems/invalid-webhook-url`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksWebhookIdGetWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksWebhookIdDeleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, nothing follows */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksWebhookIdUpdateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPatch"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookOut"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description This webhook URL is not allowed (`/problems/invalid-webhook-url`) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksWebhookIdDeliveriesDeliveries: {
        parameters: {
            query?: {
                /** @description Only the attempts of this message (`webhook-id`). */
                message_id?: string | null;
                /** @description `succeeded` or `failed`. */
                outcome?: "succeeded" | "failed";
                /** @description `next_cursor` of the previous page. */
                cursor?: number | null;
                /** @description Items per page, 1 to 500. */
                limit?: number;
            };
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksWebhookIdRotateSecretRotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateSecret"];
            };
        };
        responses: {
            /** @description Request fulfilled, document follows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRotated"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The request body must be JSON (`/problems/unsupported-media-type`) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
    V1WebhooksWebhookIdTestSendTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Request accepted, processing continues off-line */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentTestEvent"];
                };
            };
            /** @description The request is not valid; Pick a tenant first (`/problems/invalid-request`, `/problems/no-tenant-selected`) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Unknown or revoked key; The sign-in session expired or was revoked (`/problems/unknown-key`, `/problems/session-expired`) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The key lacks the scope this call needs; The tenant is suspended; Missing or wrong CSRF token or Origin; Your role in this tenant does not allow this; You are not a member of this tenant (`/problems/insufficient-scope`, `/problems/tenant-suspended`, `/problems/csrf-failed`, `/problems/insufficient-role`, `/problems/not-a-member`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description Not found (`/problems/not-found`) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
            /** @description The webhook endpoint is disabled (`/problems/webhook-disabled`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDocument"];
                };
            };
        };
    };
}

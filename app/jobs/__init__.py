"""The job queue: the outbox (enqueue + NOTIFY), the runner (lease, retry, park)."""

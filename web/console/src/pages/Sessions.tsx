export function SessionsPage() { return <p>Sessions</p>; }

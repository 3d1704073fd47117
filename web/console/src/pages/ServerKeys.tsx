export function ServerKeysPage() { return <p>ServerKeys</p>; }

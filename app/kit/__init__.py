"""Small shared plumbing every domain may use: tokens, origins, pagination, months, the HTML shell."""

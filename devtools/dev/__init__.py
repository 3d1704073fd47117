"""`greenroom dev`: the whole product on one machine, no Docker, no internet, no real keys."""

"""Demo data for trying Minyi out (`minyi demo seed`, `./scripts/run`): departments, one user per role, the
shipped processes bound to their categories, and a few cases. Never for production: the passwords are public.
It uses the services as any caller does; nothing in app.cases imports it."""

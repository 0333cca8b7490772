"""Demo data: a fictional district (鹭川市明澜区) with a running campaign, for trying the product.

`chuangwen.demo.loader.load_demo()` loads it idempotently in one transaction and returns the
demo logins. Each area has its own module (`org`, `territory`, `campaign`, `accounts`, then the
capabilities `indicators`, `tasks`, `materials`, `points`, `inspections`, `problems`, `surveys`,
`duty`) with a `load(ctx)` function that reads and extends the shared `DemoContext` (units by
code, people by demo key, the campaign, indicators, tasks, points). The capability modules write
through each app's services as the demo users, so audit entries, routing, notifications and
derived tables are what real use would produce; each is keyed (skip what is already there), and
dates are relative to the day it first runs. Every name of a place or person here is invented.
"""

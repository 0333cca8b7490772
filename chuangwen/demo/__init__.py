"""Demo data: a fictional district (鹭川市明澜区) with a running campaign, for trying the product.

`chuangwen.demo.loader.load_demo()` loads it idempotently in one transaction and returns the
demo logins. Each area has its own module (`org`, `territory`, `campaign`, `accounts`) with a
`load(ctx)` function that reads and extends the shared `DemoContext` (units by code, people by
demo key, the campaign), so later capabilities (tasks, points, problems…) add a module and one
line in the loader. Every name of a place or person here is invented.
"""

"""Pages of the questionnaires app, one module per area (design, rounds, collection, results,
the public form)."""

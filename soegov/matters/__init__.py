"""Major-matter reporting (yining-2024 chapters 5–6): matter records, routes, review, deadlines, documents."""

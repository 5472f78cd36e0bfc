// Intentionally empty: CIsal is header-only (static inline shims).

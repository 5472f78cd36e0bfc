// Intentionally empty: CLzma is header-only (static inline shims).

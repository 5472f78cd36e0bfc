// Intentionally empty: CZlib is header-only (static inline shims).

// Intentionally empty: CLibc is header-only wrappers.

// Intentionally empty: CPcre2 is header-only wrappers.

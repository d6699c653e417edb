from tests.accounts.world import world  # noqa: F401  (fixture)

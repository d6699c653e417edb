"""An index-friendly prefix lookup for materialised paths.

Django's `startswith` compiles to `LIKE 'x%' ESCAPE '\\'` on SQLite. SQLite's LIKE is
case-insensitive, so its planner only uses an index built with NOCASE collation: on the embedded
default every subtree query was a full table scan. GLOB is case-sensitive and uses the ordinary
BINARY index, and paths are digits and slashes, so case never mattered anyway. PostgreSQL keeps
LIKE, which the `varchar_pattern_ops` index serves in any collation.
"""

from django.db.models import Lookup


def _glob_escape(value: str) -> str:
    # A bracket expression matches its one character literally; this keeps GLOB's wildcards inert.
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in value)


class PathPrefix(Lookup):
    lookup_name = "prefix"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *[connection.ops.prep_for_like_query(p) + "%" for p in rhs_params]]
        return f"{lhs} LIKE {rhs}", params

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *[_glob_escape(p) + "*" for p in rhs_params]]
        return f"{lhs} GLOB {rhs}", params

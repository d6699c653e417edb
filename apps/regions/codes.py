"""Code-level facts about GB/T 2260 that need no data (cheap to import anywhere)."""

NATION_CODE = "100000"
NATION_NAME = "全国"

# 台湾、香港、澳门: drawn on the map, but reports there are not handled by this system.
UNSERVED_PREFIXES = ("71", "81", "82")


def is_region_code(code: object) -> bool:
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()

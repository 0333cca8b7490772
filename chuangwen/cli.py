"""`chuangwen`: the console script. Django's management commands under friendlier names.

`chuangwen import-units FILE` runs the `import_units` command; `chuangwen audit verify` runs
`audit verify`. Everything else is passed to Django as is.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()

"""The one scoping helper, under the name every page and route imports it by.

The code lives in `chuangwen.org.scope` (see its docstring for the rules): org's pages use it
too, and org sits below accounts in the layers (.importlinter).
"""

from chuangwen.org.scope import (  # noqa: F401
    NOTHING,
    Scope,
    _fields_of,
    get_scoped_or_404,
    scope_for,
    scoped,
    unit_choices,
)

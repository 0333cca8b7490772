"""ODK form logic on the server: XLSForm expressions evaluated with ODK's XPath 1.0 semantics.

The parser is elementpath's XPath 1.0 parser (a maintained XPath library) with the ODK / OpenRosa
functions a questionnaire uses added (`selected`, `count-selected`, `if`, `coalesce`, `regex`,
`today`, `now`, `date`, `int`, `boolean-from-string`, `selected-at`, `substr`,
`string-length` is XPath's own) and XPath 1.0 comparisons (an empty answer compared with a
number is NaN, so `${age} > 18` is false while age is blank, as ODK Collect and Enketo do;
dates compare as days, as in JavaRosa).

An interview is an XML instance `<data>` holding one element per group and question, in the
form's order; `${name}` is replaced by that question's absolute path, `.` is the question
itself. The phone evaluates the same expressions with Enketo's openrosa-xpath-evaluator
(`static/js/survey-logic.js`); `tests/xpath_cases.json` holds the cases both must agree on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from copy import copy
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

import elementpath
from elementpath import XPath1Parser
from elementpath.xpath_nodes import XPathNode

REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_EPOCH = dt.date(1970, 1, 1)


class ExpressionError(ValueError):
    """An expression this evaluator cannot read (the importer reports it with its cell)."""


class ODKParser(XPath1Parser):
    """XPath 1.0 with the OpenRosa functions questionnaires use."""

    symbol_table = dict(XPath1Parser.symbol_table)
    RESERVED_FUNCTION_NAMES = {n for n in XPath1Parser.RESERVED_FUNCTION_NAMES if n != "if"}
    tokenizer = None


method = ODKParser.method
function = ODKParser.function


def _atoms(token: Any, context: Any) -> list[Any]:
    result = token.evaluate(copy(context)) if context is not None else token.evaluate()
    items = result if isinstance(result, list) else [result]
    return [token.string_value(i) if isinstance(i, XPathNode) else i for i in items]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def to_number(value: Any) -> float:
    """XPath 1.0 number(): NaN for what is not a number; a date is its day count (ODK)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if _is_number(value):
        return float(value)
    text = str(value).strip()
    if _DATE.match(text):
        try:
            day = dt.date.fromisoformat(text[:10])
        except ValueError:
            return math.nan
        return float((day - _EPOCH).days)
    try:
        return float(text) if text else math.nan
    except ValueError:
        return math.nan


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value)


_OPS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


@method("=")
@method("!=")
@method("<")
@method(">")
@method("<=")
@method(">=")
def evaluate__comparison(self: Any, context: Any = None) -> bool:
    """XPath 1.0 comparison (section 3.4): booleans, then numbers, then strings."""
    op = _OPS[self.symbol]
    left, right = _atoms(self[0], context), _atoms(self[1], context)
    for a in left:
        for b in right:
            if self.symbol in ("=", "!="):
                if isinstance(a, bool) or isinstance(b, bool):
                    result = op(_boolean(a), _boolean(b))
                elif _is_number(a) or _is_number(b):
                    result = op(to_number(a), to_number(b))
                else:
                    result = op(to_string(a), to_string(b))
            else:
                result = op(to_number(a), to_number(b))
            if result:
                return True
    return False


def _arg(self: Any, context: Any, index: int) -> Any:
    atoms = _atoms(self[index], context)
    return atoms[0] if atoms else ""


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _is_number(value):
        return not (float(value) == 0 or math.isnan(float(value)))
    return bool(value)


@method(function("selected", nargs=2))
def evaluate__selected(self: Any, context: Any = None) -> bool:
    return to_string(_arg(self, context, 1)).strip() in to_string(_arg(self, context, 0)).split()


@method(function("count-selected", nargs=1))
def evaluate__count_selected(self: Any, context: Any = None) -> int:
    return len(to_string(_arg(self, context, 0)).split())


@method(function("selected-at", nargs=2))
def evaluate__selected_at(self: Any, context: Any = None) -> str:
    items = to_string(_arg(self, context, 0)).split()
    index = to_number(_arg(self, context, 1))
    return items[int(index)] if not math.isnan(index) and 0 <= index < len(items) else ""


@method(function("if", nargs=3))
def evaluate__if(self: Any, context: Any = None) -> Any:
    condition = self[0].evaluate(copy(context)) if context is not None else self[0].evaluate()
    branch = self[1] if self.boolean_value(condition) else self[2]
    return branch.evaluate(copy(context)) if context is not None else branch.evaluate()


@method(function("coalesce", nargs=2))
def evaluate__coalesce(self: Any, context: Any = None) -> str:
    first = to_string(_arg(self, context, 0))
    return first if first != "" else to_string(_arg(self, context, 1))


@method(function("regex", nargs=2))
def evaluate__regex(self: Any, context: Any = None) -> bool:
    try:
        return re.search(to_string(_arg(self, context, 1)), to_string(_arg(self, context, 0))) is not None
    except re.error:
        return False


@method(function("today", nargs=0))
def evaluate__today(self: Any, context: Any = None) -> str:
    return dt.date.today().isoformat()


@method(function("now", nargs=0))
def evaluate__now(self: Any, context: Any = None) -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@method(function("date", nargs=1))
def evaluate__date(self: Any, context: Any = None) -> str:
    value = _arg(self, context, 0)
    if _is_number(value):
        return (_EPOCH + dt.timedelta(days=int(value))).isoformat()
    return to_string(value)[:10]


@method(function("int", nargs=1))
def evaluate__int(self: Any, context: Any = None) -> float:
    number = to_number(_arg(self, context, 0))
    return number if math.isnan(number) else float(math.trunc(number))


@method(function("boolean-from-string", nargs=1))
def evaluate__boolean_from_string(self: Any, context: Any = None) -> bool:
    return to_string(_arg(self, context, 0)).strip() in ("true", "1")


@method(function("substr", nargs=(2, 3)))
def evaluate__substr(self: Any, context: Any = None) -> str:
    text = to_string(_arg(self, context, 0))
    start = int(to_number(_arg(self, context, 1)))
    end = int(to_number(_arg(self, context, 2))) if len(self) > 2 else len(text)
    return text[start:end]


ODKParser.build()

# Functions a form may call: XPath 1.0's core library and the ODK ones registered above.
KNOWN_FUNCTIONS = frozenset(
    {
        "not", "true", "false", "boolean", "number", "string", "concat", "contains", "starts-with",
        "substring", "substring-before", "substring-after", "string-length", "normalize-space",
        "translate", "sum", "count", "floor", "ceiling", "round", "position", "last",
        "selected", "count-selected", "selected-at", "if", "coalesce", "regex", "today", "now",
        "date", "int", "boolean-from-string", "substr",
    }
)  # fmt: skip
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_:.-]*)\s*\(")
_STRINGS = re.compile(r"'[^']*'|\"[^\"]*\"")

_parser_lock = threading.Lock()
_parsed: dict[str, Any] = {}


def unknown_functions(expression: str) -> list[str]:
    """Functions named in the expression that neither evaluator here implements."""
    bare = _STRINGS.sub("''", REF.sub("x", expression))
    return sorted({name for name in _CALL.findall(bare) if name not in KNOWN_FUNCTIONS})


def to_xpath(expression: str, paths: dict[str, str]) -> str:
    """`${name}` → the question's absolute path; KeyError for a name the form does not have."""
    return REF.sub(lambda m: paths[m.group(1)], expression)


def to_server_xpath(expression: str, paths: dict[str, str], questions: set[str]) -> str:
    """Like `to_xpath`, but a question's `${name}` becomes the XPath variable `$name`: its
    value is a dictionary look-up instead of a walk down the instance (the server evaluates
    ~150 expressions per interview). Groups stay paths."""
    return REF.sub(lambda m: f"${m.group(1)}" if m.group(1) in questions else paths[m.group(1)], expression)


def parse(xpath: str) -> Any:
    """The parsed expression (cached; a parsed tree is evaluated many times, from any thread)."""
    token = _parsed.get(xpath)
    if token is None:
        try:
            with _parser_lock:
                token = ODKParser().parse(xpath)
        except elementpath.ElementPathError as exc:
            raise ExpressionError(str(exc)) from exc
        if len(_parsed) > 20_000:
            _parsed.clear()
        _parsed[xpath] = token
    return token


def evaluate(xpath: str, root: ET.Element, item: ET.Element | None = None) -> Any:
    """The value of the expression with `.` at `item` (atoms: bool, number or string)."""
    token = parse(xpath)
    context = elementpath.XPathContext(root, item=item if item is not None else root)
    try:
        result = token.evaluate(context)
    except (elementpath.ElementPathError, ArithmeticError, TypeError, ValueError):
        return ""
    if isinstance(result, list):
        return token.string_value(result[0]) if result else ""
    return result


def truth(xpath: str, root: ET.Element, item: ET.Element | None = None) -> bool:
    token = parse(xpath)
    context = elementpath.XPathContext(root, item=item if item is not None else root)
    try:
        result = token.evaluate(context)
    except (elementpath.ElementPathError, ArithmeticError, TypeError, ValueError):
        return False
    if isinstance(result, list):
        return bool(result)
    return _boolean(result)


def check_expression(expression: str, paths: dict[str, str]) -> str:
    """'' when the expression can be evaluated here, else what is wrong (for the dry run)."""
    missing = [name for name in REF.findall(expression) if name not in paths]
    if missing:
        return "${" + missing[0] + "}"
    unknown = unknown_functions(expression)
    if unknown:
        return f"{unknown[0]}()"
    try:
        parse(to_xpath(expression, paths))
    except ExpressionError as exc:
        return str(exc)
    return ""


_PATHS = re.compile(r"/|\.\.|\bcurrent\(")
# A bare name is a child step (`district` in a choice filter): it needs the node tree too.
_BARE = re.compile(r"(?<![$\w.:-])([A-Za-z_][\w.-]*)(?![\w.-]*\s*\()")
_needs_tree: dict[str, bool] = {}
_EMPTY = ET.Element("data")


def needs_tree(xpath: str) -> bool:
    """Whether the expression walks the instance (a path such as ../q1); most read only
    `$name` variables and `.`, which need no node tree."""
    hit = _needs_tree.get(xpath)
    if hit is None:
        bare = _STRINGS.sub("''", xpath)
        names = set(_BARE.findall(bare)) - {"and", "or", "div", "mod"}
        hit = _needs_tree[xpath] = bool(_PATHS.search(bare) or names)
    return hit


_shared: list[Any] = []


def _light() -> Any:
    """A context on an empty document, built once (building one costs more than evaluating a
    dozen expressions); each interview works on a shallow copy with its own variables."""
    if not _shared:
        _shared.append(elementpath.XPathContext(_EMPTY))
    return _shared[0]


class Instance:
    """One interview's instance for the server's evaluation.

    Expressions that read only `$name` variables and `.` run on a light context whose
    context item is the answer's text (what `.` means in a constraint); an expression with a
    path gets the node tree, built once per interview on first need. Element text is read
    live, and the caller keeps `variables` equal to it, so an answer cleared or calculated on
    the way is seen by every expression after it."""

    def __init__(self, root: ET.Element, variables: dict[str, str] | None = None) -> None:
        self.root = root
        self.variables = variables if variables is not None else {}
        self.light = copy(_light())
        self.light.variables = self.variables
        self._base: Any = None
        self._nodes: dict[int, Any] = {}

    def _context(self, xpath: str, item: ET.Element | None) -> Any:
        if not needs_tree(xpath):
            context = copy(self.light)
            if item is not None:
                context.item = item.text or ""
            return context
        if self._base is None:
            self._base = elementpath.XPathContext(self.root, variables=self.variables)
            self._nodes = {id(n.elem): n for n in self._base.root.iter_descendants() if hasattr(n, "elem")}
        context = copy(self._base)
        if item is not None:
            context.item = self._nodes[id(item)]
        return context

    def truth(self, xpath: str, item: ET.Element | None = None) -> bool:
        token = parse(xpath)
        try:
            result = token.evaluate(self._context(xpath, item))
        except (elementpath.ElementPathError, ArithmeticError, TypeError, ValueError):
            return False
        if isinstance(result, list):
            return bool(result)
        return _boolean(result)

    def value(self, xpath: str, item: ET.Element | None = None) -> Any:
        token = parse(xpath)
        try:
            result = token.evaluate(self._context(xpath, item))
        except (elementpath.ElementPathError, ArithmeticError, TypeError, ValueError):
            return ""
        if isinstance(result, list):
            return token.string_value(result[0]) if result else ""
        return result

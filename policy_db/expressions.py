"""Conditions and formulas written in the policy data, evaluated with three-valued logic.

Policy YAML says ``insured and layoffs <= employees * ui_layoff_rate`` or ``monthly_rent * rent_waiver_months``.
That text is parsed once with :mod:`ast`, checked against a small whitelist (arithmetic, comparisons, and/or/not,
``x if c else y``, ``min``/``max``, literals and names) and compiled into closures. Nothing is ever passed to
``eval``: an expression can only read the names it is given.

``None`` means *unknown*. Arithmetic and comparisons with an unknown operand are unknown; ``and``/``or`` follow
Kleene's logic, so ``False and <unknown>`` is already ``False``. A :class:`Possible` value (a set of candidates, as
for an SME class not yet pinned down) is compared candidate by candidate: the answer is known when all agree.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from typing import Any, Callable, Mapping

Env = Mapping[str, Any]


class ExpressionError(ValueError):
    """The policy data holds an expression outside the allowed language."""


class Possible(frozenset):
    """A value known only to be one of several candidates."""


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
_FUNCTIONS = {"min": min, "max": max}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "×", ast.Div: "÷"}


def _compare_possible(op: Callable, left: Any, right: Any) -> bool | None:
    lefts = left if isinstance(left, Possible) else (left,)
    answers = {bool(op(candidate, right)) for candidate in lefts}
    return answers.pop() if len(answers) == 1 else None


@dataclass(frozen=True)
class Expression:
    """A compiled expression: call it with an environment of names to values (None = unknown); ``run`` is the same
    call without the method in between (the engine's inner loop)."""

    source: str
    names: tuple[str, ...]
    _tree: ast.expr
    run: Callable[[Env], Any]

    def __call__(self, env: Env) -> Any:
        return self.run(env)

    @property
    def bare_name(self) -> str | None:
        """The name, when the expression is only a name (its value is the name's value, unknown as unknown)."""
        return self._tree.id if isinstance(self._tree, ast.Name) else None

    def unknown_names(self, env: Env) -> list[str]:
        """Names this expression reads that are still unknown, in order of appearance."""
        return [n for n in self.names if env.get(n) is None]

    def render(self, env: Env, show: Callable[[str, Any], str]) -> str:
        """Write the expression out with values, e.g. ``7200 × 50%``; ``show`` formats one named value."""
        return _render(self._tree, env, show)


def compile_expression(source: str) -> Expression:
    """Parse and compile one expression of the policy data."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {source!r}: {exc.msg}") from exc
    run = _compile(tree, source)
    return Expression(source, tuple(_ordered_names(tree)), tree, run)


def _ordered_names(tree: ast.AST) -> list[str]:
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in _FUNCTIONS:
            seen.setdefault(node.id, None)
    return list(seen)


def _compile(node: ast.expr, source: str) -> Callable[[Env], Any]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        value = node.value
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env.get(name)
    if isinstance(node, (ast.Tuple, ast.List)):
        items = tuple(_literal(e, source) for e in node.elts)
        return lambda env: items
    if isinstance(node, ast.UnaryOp):
        return _compile_unary(node, source)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        return _compile_binary(node, source)
    if isinstance(node, ast.BoolOp):
        parts = tuple(_compile(v, source) for v in node.values)
        return _compile_kleene(parts, decides=not isinstance(node.op, ast.And))
    if isinstance(node, ast.Compare):
        return _compile_compare(node, source)
    if isinstance(node, ast.IfExp):
        return _compile_if(node, source)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and node.args:
        func = _FUNCTIONS[node.func.id]
        args = [_compile(a, source) for a in node.args]

        def call(env: Env) -> Any:
            values = [a(env) for a in args]
            return None if any(v is None for v in values) else func(values)

        return call
    raise ExpressionError(f"not allowed in policy expressions: {ast.dump(node)[:60]} in {source!r}")


def _literal(node: ast.expr, source: str) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    raise ExpressionError(f"only literals may stand in a list: {source!r}")


def _compile_kleene(parts: tuple[Callable[[Env], Any], ...], decides: bool) -> Callable[[Env], Any]:
    """Kleene's and (``decides`` False) or or (``decides`` True): the deciding value if any part has it (stopping
    there, nothing after can change it), else unknown if any part is unknown, else the other value."""

    def run(env: Env) -> Any:
        unknown = False
        for part in parts:
            value = part(env)
            if value is decides:
                return decides
            if value is None:
                unknown = True
        return None if unknown else not decides

    return run


def _compile_unary(node: ast.UnaryOp, source: str) -> Callable[[Env], Any]:
    inner = _compile(node.operand, source)
    if isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Name):
        name = node.operand.id
        return lambda env: None if (v := env.get(name)) is None else not v
    if isinstance(node.op, ast.Not):
        return lambda env: None if (v := inner(env)) is None else not v
    if isinstance(node.op, ast.USub):
        return lambda env: None if (v := inner(env)) is None else -v
    raise ExpressionError(f"unary operator not allowed in {source!r}")


def _compile_binary(node: ast.BinOp, source: str) -> Callable[[Env], Any]:
    left, right, op = _compile(node.left, source), _compile(node.right, source), _ARITHMETIC[type(node.op)]

    def run(env: Env) -> Any:
        a, b = left(env), right(env)
        return None if a is None or b is None else op(a, b)

    return run


def _compile_compare(node: ast.Compare, source: str) -> Callable[[Env], Any]:
    if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
        raise ExpressionError(f"write one comparison at a time in {source!r}")
    left, right, op = _compile(node.left, source), _compile(node.comparators[0], source), _COMPARE[type(node.ops[0])]
    if isinstance(node.left, ast.Name) and isinstance(node.comparators[0], (ast.Constant, ast.Tuple, ast.List)):
        return _compare_name(node.left.id, op, right({}))

    def run(env: Env) -> Any:
        a, b = left(env), right(env)
        if a is None or b is None:
            return None
        return _compare_possible(op, a, b) if isinstance(a, Possible) else bool(op(a, b))

    return run


def _compare_name(name: str, op: Callable, literal: Any) -> Callable[[Env], Any]:
    """A fact compared with a literal (``legal_form != '个体工商户'``, ``layoffs == 0``): the commonest condition,
    read without a call per side."""

    def run(env: Env) -> Any:
        a = env.get(name)
        if a is None:
            return None
        return _compare_possible(op, a, literal) if isinstance(a, Possible) else bool(op(a, literal))

    return run


def _compile_if(node: ast.IfExp, source: str) -> Callable[[Env], Any]:
    test, body, orelse = _compile(node.test, source), _compile(node.body, source), _compile(node.orelse, source)

    def run(env: Env) -> Any:
        chosen = test(env)
        if chosen is None:
            a, b = body(env), orelse(env)
            return a if a == b else None
        return body(env) if chosen else orelse(env)

    return run


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}


def _binds_looser(child: ast.expr, op: ast.operator, right: bool) -> bool:
    """Whether a sub-expression needs brackets when written out: "50000 × 3 × (3% - 1%)"."""
    if not isinstance(child, ast.BinOp):
        return False
    inner, outer = _PRECEDENCE[type(child.op)], _PRECEDENCE[type(op)]
    return inner < outer or (right and inner == outer and isinstance(op, (ast.Sub, ast.Div)))


def _render(node: ast.expr, env: Env, show: Callable[[str, Any], str]) -> str:
    if isinstance(node, ast.Name):
        return show(node.id, env.get(node.id))
    if isinstance(node, ast.Constant):
        return show("", node.value)
    if isinstance(node, ast.BinOp):
        left, right = _render(node.left, env, show), _render(node.right, env, show)
        if _binds_looser(node.left, node.op, right=False):
            left = f"({left})"
        if _binds_looser(node.right, node.op, right=True):
            right = f"({right})"
        return f"{left} {_SYMBOLS[type(node.op)]} {right}"
    if isinstance(node, ast.Call):
        args = ", ".join(_render(a, env, show) for a in node.args)
        return f"{node.func.id}({args})"
    return ast.unparse(node)

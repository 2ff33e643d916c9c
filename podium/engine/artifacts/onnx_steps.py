"""Preprocessing steps swapped for the ONNX export only (shallow copies; the saved pipeline is
untouched), so that every step converts: date columns, and text imputers that fill NaN.

**Dates.** The saved pipeline turns a date into year, month, day, hour and a one-hot day of
the week with NumPy string functions (``prepare.preprocessing._dates``), which no converter
knows. For the export only, that step is swapped for :class:`DateParts`, which holds what the
step learned (the most frequent hour of each column, for missing dates) and converts to plain
ONNX arithmetic:
the graph takes each date as hours since 1970-01-01 (``standalone.onnx_inputs`` feeds it,
NaN when missing) and computes the same parts (the civil-from-days algorithm of
H. Hinnant, "chrono-compatible low-level date algorithms", in float64 with ``Floor``). The
skops pipeline is unchanged, and ``export_onnx`` keeps the graph only when its answers equal
the pipeline's.

**Most-frequent imputation of categories.** skl2onnx converts a text ``SimpleImputer`` only
when its missing marker is text. Missing categories are fed to the graph as the text ``"nan"``
(``standalone.onnx_feed``: ``str`` of NaN; a ``"nan"`` the user wrote is already missing after
``prepare_input``), so the export's copy of the imputer fills ``"nan"``, with its learned
values as text.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from podium.engine.prepare.preprocessing import DATE_PARTS

DATE_STEP = "datetime"  # the date step's name in build_preprocessor's ColumnTransformer


class DateParts:
    """Stand-in for a fitted date step: ``modes_`` are the hours (since 1970) that fill
    missing dates, one per column; output columns part by part, as the step's FeatureUnion."""

    def __init__(self, modes: list[float]) -> None:
        self.modes_ = modes

    @classmethod
    def of(cls, step: Any) -> DateParts:
        """From the fitted date step; raises ``NotImplementedError`` for any other shape."""
        parts = getattr(step, "named_steps", {}).get("parts")
        names = [name for name, _ in getattr(parts, "transformer_list", [])]
        if names != list(DATE_PARTS):
            raise NotImplementedError("the date step's parts are not year..hour and weekdays")
        filled = step.named_steps["impute"].statistics_
        return cls([float(np.datetime64(str(v), "h").astype("int64")) for v in filled])


def exportable(pipe: Any) -> Any:
    """``pipe`` with its date step swapped for :class:`DateParts` and its text imputers
    filling ``"nan"``, or ``pipe`` itself when nothing needs swapping."""
    pre = pipe.steps[0][1]
    before = getattr(pre, "transformers_", [])
    after = [(name, _swap(name, step), columns) for name, step, columns in before]
    if all(new is old for (_, new, _), (_, old, _) in zip(after, before, strict=True)):
        return pipe
    pre = copy.copy(pre)
    pre.transformers_ = after
    out = copy.copy(pipe)
    out.steps = [(pipe.steps[0][0], pre), *pipe.steps[1:]]
    return out


def _swap(name: str, step: Any) -> Any:
    if name == DATE_STEP:
        return DateParts.of(step)
    inner = getattr(step, "steps", None)
    if not inner:
        return step
    steps = [(n, _text_imputer(s)) for n, s in inner]
    if all(new is old for (_, new), (_, old) in zip(steps, inner, strict=True)):
        return step
    out = copy.copy(step)
    out.steps = steps
    return out


def _text_imputer(step: Any) -> Any:
    """A fitted text ``SimpleImputer`` of NaN as one of ``"nan"``; any other step as is."""
    from sklearn.impute import SimpleImputer

    learned = getattr(step, "statistics_", None)
    if not isinstance(step, SimpleImputer) or learned is None or learned.dtype != object:
        return step
    marker = step.missing_values
    if not (isinstance(marker, float) and marker != marker):  # NaN
        return step
    out = copy.copy(step)
    out.missing_values = "nan"
    out.statistics_ = np.array([str(v) for v in learned], dtype=object)
    return out


def date_parts_shape(operator: Any) -> None:
    from skl2onnx.common.data_types import FloatTensorType

    rows = operator.inputs[0].get_first_dimension()
    width = len(operator.raw_operator.modes_) * len(DATE_PARTS)
    operator.outputs[0].type = FloatTensorType([rows, width])


def convert_date_parts(scope: Any, operator: Any, container: Any) -> None:
    """Hours since 1970 (float64, NaN when missing) → the date step's parts as float32."""
    from skl2onnx.proto import onnx_proto

    g = _Graph(scope, container)
    raw = operator.inputs[0].onnx_name
    hours = g.op("Where", g.op("IsNaN", raw), g.const(operator.raw_operator.modes_), raw)
    days = g.floor_div(hours, 24)
    hour = g.op("Sub", hours, g.op("Mul", days, g.const(24)))
    shifted = g.op("Add", days, g.const(3))  # 1970-01-01 was a Thursday: Monday is 0
    weekday = g.op("Sub", shifted, g.op("Mul", g.floor_div(shifted, 7), g.const(7)))
    year, month, day = _civil(g, days)
    flags = [
        g.op("Cast", g.op("Equal", weekday, g.const(d)), to=onnx_proto.TensorProto.DOUBLE)
        for d in range(7)
    ]
    joined = g.op("Concat", year, month, day, hour, *flags, axis=1)
    container.add_node(
        "Cast",
        joined,
        operator.outputs[0].full_name,
        name=scope.get_unique_operator_name("Cast"),
        to=onnx_proto.TensorProto.FLOAT,
    )


def _civil(g: _Graph, days: str) -> tuple[str, str, str]:
    """Year, month, day of ``days`` since 1970-01-01 (proleptic Gregorian)."""
    z = g.op("Add", days, g.const(719468))  # days since 0000-03-01
    era = g.floor_div(z, 146097)
    doe = g.op("Sub", z, g.op("Mul", era, g.const(146097)))  # [0, 146096]
    yoe = g.op(
        "Add",
        g.op("Sub", doe, g.floor_div(doe, 1460)),
        g.op("Sub", g.floor_div(doe, 36524), g.floor_div(doe, 146096)),
    )
    yoe = g.floor_div(yoe, 365)  # [0, 399]
    start = g.op(
        "Sub",
        g.op("Add", g.op("Mul", yoe, g.const(365)), g.floor_div(yoe, 4)),
        g.floor_div(yoe, 100),
    )
    doy = g.op("Sub", doe, start)  # [0, 365], from March 1st
    mp = g.floor_div(g.op("Add", g.op("Mul", doy, g.const(5)), g.const(2)), 153)  # [0, 11]
    first = g.floor_div(g.op("Add", g.op("Mul", mp, g.const(153)), g.const(2)), 5)
    day = g.op("Add", g.op("Sub", doy, first), g.const(1))
    early = g.floor_div(mp, 10)  # 1 for January and February (of the next civil year)
    month = g.op("Sub", g.op("Add", mp, g.const(3)), g.op("Mul", early, g.const(12)))
    year = g.op("Add", g.op("Add", yoe, g.op("Mul", era, g.const(400))), early)
    return year, month, day


class _Graph:
    """Adds float64 ONNX nodes and constants to a converter's container."""

    def __init__(self, scope: Any, container: Any) -> None:
        self.scope, self.container = scope, container

    def const(self, value: float | list[float]) -> str:
        from skl2onnx.proto import onnx_proto

        values = value if isinstance(value, list) else [value]
        name = str(self.scope.get_unique_variable_name("date_const"))
        dims = [len(values)] if isinstance(value, list) else []
        self.container.add_initializer(name, onnx_proto.TensorProto.DOUBLE, dims, values)
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        out = str(self.scope.get_unique_variable_name(f"date_{op_type.lower()}"))
        name = self.scope.get_unique_operator_name(op_type)
        self.container.add_node(op_type, list(inputs), out, name=name, **attrs)
        return out

    def floor_div(self, x: str, by: float) -> str:
        return self.op("Floor", self.op("Div", x, self.const(by)))

"""Converters skl2onnx lacks for pipelines Podium builds, registered the documented way
(``skl2onnx.update_registered_converter``): LightGBM's and XGBoost's scikit-learn estimators
through onnxmltools, scikit-learn's ``TargetEncoder`` on multiclass targets (skl2onnx
converts only its binary and continuous forms), and skl2onnx's own histogram gradient
boosting converters with their leaves' missing-value flags written as integers (skl2onnx 1.20
writes a Python ``False`` there, which onnx 1.23 refuses in an integer list).

Nothing here is trusted on its own: ``export_onnx`` keeps a converted graph only when its
answers equal the skops pipeline's.
"""

from __future__ import annotations

import importlib
from typing import Any

from podium.engine.artifacts.onnx_steps import DateParts, convert_date_parts, date_parts_shape

#: (package, (classifier, regressor), onnxmltools module, converter function)
BOOSTERS = (
    (
        "lightgbm",
        ("LGBMClassifier", "LGBMRegressor"),
        "onnxmltools.convert.lightgbm.operator_converters.LightGbm",
        "convert_lightgbm",
    ),
    (
        "xgboost",
        ("XGBClassifier", "XGBRegressor"),
        "onnxmltools.convert.xgboost.operator_converters.XGBoost",
        "convert_xgboost",
    ),
)
_done: list[str] = []


def register() -> list[str]:
    """Register every converter whose packages are installed; return their estimators'
    names. Idempotent (the first call registers)."""
    if _done:
        return list(_done)
    try:
        from skl2onnx import update_registered_converter
    except ImportError:
        return []
    from sklearn.preprocessing import TargetEncoder

    update_registered_converter(
        TargetEncoder, "SklearnTargetEncoder", _target_encoder_shapes, _convert_target_encoder
    )
    _done.append("TargetEncoder")
    update_registered_converter(DateParts, "PodiumDateParts", date_parts_shape, convert_date_parts)
    _done.append("DateParts")
    _done.extend(_register_hist_gradient_boosting())
    _done.extend(_register_boosters())
    return list(_done)


def _register_hist_gradient_boosting() -> list[str]:
    """skl2onnx's converters for ``HistGradientBoosting*``, given a container that writes the
    ``nodes_missing_value_tracks_true`` flags as integers (same graph otherwise)."""
    from skl2onnx import update_registered_converter
    from skl2onnx.common._registration import get_converter, get_shape_calculator
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    done = []
    for model in (HistGradientBoostingClassifier, HistGradientBoostingRegressor):
        alias = f"Sklearn{model.__name__}"
        convert = get_converter(alias)
        update_registered_converter(
            model,
            alias,
            get_shape_calculator(alias),
            _IntegerFlags.wrap(convert),
            options=convert.get_allowed_options(),
        )
        done.append(model.__name__)
    return done


class _IntegerFlags:
    """A converter's container whose ``add_node`` writes missing-value flags as integers."""

    FLAGS = "nodes_missing_value_tracks_true"

    def __init__(self, container: Any) -> None:
        self._container = container

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def add_node(self, *args: Any, **attrs: Any) -> Any:
        if attrs.get(self.FLAGS) is not None:
            attrs[self.FLAGS] = [int(flag) for flag in attrs[self.FLAGS]]
        return self._container.add_node(*args, **attrs)

    @classmethod
    def wrap(cls, convert: Any) -> Any:
        def converter(scope: Any, operator: Any, container: Any) -> None:
            convert(scope, operator, cls(container))

        return converter


def _register_boosters() -> list[str]:
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes as classifier_shapes,
    )
    from skl2onnx.common.shape_calculator import (
        calculate_linear_regressor_output_shapes as regressor_shapes,
    )

    classifier = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
    done = []
    for package, (cls_name, reg_name), module, func in BOOSTERS:
        try:
            lib = importlib.import_module(package)
            convert = getattr(importlib.import_module(module), func)
        except ImportError:
            continue
        update_registered_converter(
            getattr(lib, cls_name), f"{package}{cls_name}", classifier_shapes, convert,
            options=classifier,
        )  # fmt: skip
        update_registered_converter(
            getattr(lib, reg_name), f"{package}{reg_name}", regressor_shapes, convert
        )
        done += [cls_name, reg_name]
    return done


def _per_feature(op: Any) -> int:
    return len(op.classes_) if op.target_type_ == "multiclass" else 1


def _target_encoder_shapes(operator: Any) -> None:
    """One output column per input column, times the classes of a multiclass target."""
    from skl2onnx.common.data_types import FloatTensorType

    op = operator.raw_operator
    rows = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type = FloatTensorType([rows, len(op.categories_) * _per_feature(op)])


def _convert_target_encoder(scope: Any, operator: Any, container: Any) -> None:
    """skl2onnx's converter for binary/continuous targets; for a multiclass target, one
    ``LabelEncoder`` per (column, class) — category → that class's encoding, unseen → the
    class's mean — concatenated column-major as scikit-learn's ``transform`` orders them."""
    from skl2onnx.common._apply_operation import apply_cast, apply_concat, apply_reshape
    from skl2onnx.operator_converters.target_encoder import convert_sklearn_target_encoder
    from skl2onnx.proto import onnx_proto

    op = operator.raw_operator
    if op.target_type_ != "multiclass":
        convert_sklearn_target_encoder(scope, operator, container)
        return
    classes = len(op.classes_)
    outputs = []
    for feature, column in enumerate(_columns(scope, operator, container)):
        keys = [str(c).encode("utf-8") for c in op.categories_[feature]]
        for k in range(classes):
            encoded = scope.get_unique_variable_name("label_encoder")
            container.add_node(
                "LabelEncoder",
                column,
                encoded,
                op_domain="ai.onnx.ml",
                op_version=2,
                name=scope.get_unique_operator_name("LabelEncoder"),
                keys_strings=keys,
                values_floats=[float(v) for v in op.encodings_[feature * classes + k]],
                default_float=float(op.target_mean_[k]),
            )
            outputs.append(scope.get_unique_variable_name("target_encoded"))
            apply_reshape(scope, encoded, outputs[-1], container, desired_shape=(-1, 1))
    joined = scope.get_unique_variable_name("concat_result")
    apply_concat(scope, outputs, joined, container, axis=1)
    apply_cast(
        scope, joined, operator.output_full_names, container, to=onnx_proto.TensorProto.FLOAT
    )


def _columns(scope: Any, operator: Any, container: Any) -> list[str]:
    """The name of each input column (one per category list), split out of wide inputs."""
    from skl2onnx.common.data_types import StringTensorType
    from skl2onnx.proto import onnx_proto

    names = []
    for variable in operator.inputs:
        if not isinstance(variable.type, StringTensorType):
            raise NotImplementedError("multiclass target encoding takes text columns only")
        width = variable.get_second_dimension()
        if width == 1:
            names.append(variable.onnx_name)
            continue
        for j in range(width):
            index = scope.get_unique_variable_name("index")
            container.add_initializer(index, onnx_proto.TensorProto.INT64, [], [j])
            column = scope.get_unique_variable_name("feature_column")
            container.add_node(
                "ArrayFeatureExtractor",
                [variable.onnx_name, index],
                column,
                op_domain="ai.onnx.ml",
                name=scope.get_unique_operator_name("ArrayFeatureExtractor"),
            )
            names.append(column)
    return names

"""Save a Podium pipeline artifact as an MLflow scikit-learn model, inside bench/.venvs/mlflow.

Usage: ``python mlflow_model.py <podium artifact dir> <mlflow model dir>``. The repository root
must be on PYTHONPATH: the pipeline is loaded with Podium's own verified ``load_pipeline`` and may
hold Podium's preprocessing classes, which the scoring server then imports the same way.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def main() -> None:
    import mlflow.sklearn

    from podium.engine import load_pipeline

    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    pipe = load_pipeline(src)
    if dst.exists():
        shutil.rmtree(dst)
    mlflow.sklearn.save_model(pipe, str(dst), serialization_format="cloudpickle")
    print(json.dumps({"saved": str(dst), "steps": [name for name, _ in pipe.steps]}))


if __name__ == "__main__":
    main()

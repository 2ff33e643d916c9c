"""Saved pipelines: save, load, verify and predict (pipeline) and the ONNX export (onnx).
The standalone loader copied beside every artifact is :mod:`podium.engine.standalone`."""

"""The floor of the ``serve`` suite: an empty FastAPI POST route under the same uvicorn.

It reads the body and answers a fixed JSON prediction, so what wrk measures against it is
uvicorn + FastAPI + the loopback + wrk itself on this machine at this load — the least any
Python ASGI model server could cost here. Run as
``python -m uvicorn bench.runners.floor_app:app --workers N``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

app = FastAPI()


@app.post("/predict")
async def predict(request: Request) -> Response:
    """Read the body, answer one fixed prediction."""
    await request.body()
    return Response('{"predictions":[0]}', media_type="application/json")

"""Drift reports of a deployment: compute one now, list them (with PSI over time), read one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep, flush_predict_stats
from podium.server.api.responses import errors
from podium.server.db.models import DriftReport
from podium.server.schemas.drift_reports import (
    DriftReportCreate,
    DriftReportList,
    DriftReportRead,
    report_fields,
)
from podium.server.schemas.plots import PlotRead
from podium.server.services import drift_reports

router = APIRouter(tags=["drift-reports"])


def read(row: DriftReport, with_plots: bool = True) -> DriftReportRead:
    """The API shape of a report (plots drawn from its stored result)."""
    plots = drift_reports.plots(row) if with_plots else []
    return DriftReportRead.model_validate(
        {**report_fields(row), "plots": [PlotRead.model_validate(p) for p in plots]}
    )


@router.post(
    "/deployments/{slug}/drift-reports",
    name="create",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(flush_predict_stats)],
    responses=errors(
        401, 403, 404, 409, 422, notes={409: "The log keeps counts only, or no baseline"}
    ),
)
def create_report(
    slug: str, body: DriftReportCreate, session: SessionDep, store: StoreDep, user: CurrentUser
) -> DriftReportRead:
    """Compare a window of logged calls with the training baseline now (editors)."""
    return read(drift_reports.create(session, store, user.id, slug, body))


@router.get("/deployments/{slug}/drift-reports", name="list", responses=errors(401, 404, 422))
def list_reports(slug: str, session: SessionDep, user: CurrentUser) -> DriftReportList:
    """The newest reports (100), newest first, and PSI per feature across them."""
    rows = drift_reports.list_reports(session, user.id, slug)
    over = PlotRead.model_validate(drift_reports.over_time(rows)) if rows else None
    data = [read(r, with_plots=False) for r in rows]
    return DriftReportList(data=data, count=len(data), over_time=over)


@router.get("/drift-reports/{report_id}", name="get", responses=errors(401, 404, 422))
def get_report(report_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> DriftReportRead:
    """One report with its plots: PSI per feature, then each feature's shares."""
    return read(drift_reports.get(session, user.id, report_id))

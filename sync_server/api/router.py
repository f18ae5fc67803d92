"""All routes of the server, for the app factory to mount."""

from __future__ import annotations

from fastapi import APIRouter

from sync_server.api import dashboard, health, survey, sync, tills

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(tills.router)
api_router.include_router(sync.router)
api_router.include_router(sync.manage_router)
api_router.include_router(survey.router)
api_router.include_router(dashboard.router)

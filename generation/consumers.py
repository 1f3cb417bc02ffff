from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts.errors import NotFound

from .progress import group_name, job_snapshot
from .selectors import access_job


class JobProgressConsumer(AsyncJsonWebsocketConsumer):
    """ws/jobs/<id>/: the current state at once, then every change. Only people who may see the
    job (its requester, the talent) can listen."""

    async def connect(self):
        user = self.scope.get("user")
        job_id = self.scope["url_route"]["kwargs"]["job_id"]
        snapshot = await database_sync_to_async(self._snapshot)(user, job_id)
        if snapshot is None:
            await self.close(code=4403)
            return
        self.group = group_name(job_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(snapshot)

    @staticmethod
    def _snapshot(user, job_id):
        if user is None or not user.is_authenticated:
            return None
        try:
            return job_snapshot(access_job(user=user, job_id=job_id))
        except NotFound:
            return None

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def job_progress(self, event):
        await self.send_json(event["payload"])

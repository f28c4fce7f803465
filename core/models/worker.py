"""Worker heartbeats: one row per running worker process, written after every poll."""

from tortoise import fields
from tortoise.models import Model


class WorkerHeartbeat(Model):
    """A worker process's last sign of life (``tobeout status`` reads these; a silent row is a dead worker)."""

    name = fields.CharField(max_length=120, primary_key=True)  # host:pid:role, as in outbox claims
    started_at = fields.DatetimeField()
    beat_at = fields.DatetimeField(db_index=True)  # the end of its last poll
    polls = fields.BigIntField(default=0)
    failed_polls = fields.IntField(default=0)  # polls in a row that could not work (0 when healthy)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "worker_heartbeats"

from __future__ import annotations

from typing import Any

from accounts.models import User

from ..models import AuditEvent


def audit_record(*, actor: User | None, action: str, obj: Any, data: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )



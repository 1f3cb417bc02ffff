"""Notifications: one call, `notify`, from any app's service (accounts sits under everything). It
writes the in-app notification in the caller's transaction and, after commit, e-mails it through
Django's e-mail backend (the console in `make run`) when the person's settings ask for that kind."""
from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, NotificationSettings, User

Kind = Notification.Kind


def email_kinds_for(user: User) -> list[str]:
    found = NotificationSettings.objects.filter(user=user).first()
    return list(found.email_kinds) if found else list(Kind.values)


def notify(*, user: User, kind: str, title: str, body: str = "", url: str = "", once_key: str = "") -> Notification:
    """`once_key` names what a scheduled notice is about ("expiring:<licence id>"): a second call
    with the same key for the same person returns the first notification and sends nothing."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    once_key = (once_key or "")[:120]
    fields = {"user": user, "kind": kind, "title": title[:200], "body": (body or "")[:2000], "url": url[:500], "once_key": once_key}
    if once_key:
        note, created = Notification.objects.get_or_create(user=user, once_key=once_key, defaults=fields)
        if not created:
            return note
    else:
        note = Notification.objects.create(**fields)
    if kind in email_kinds_for(user) and user.email:
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        text = f"{body}\n\n{base}{url}" if url else body
        email = user.email

        def send():
            sent = send_mail(f"Rightscast: {title}", text or title, None, [email], fail_silently=True)
            if sent:
                Notification.objects.filter(pk=note.pk).update(emailed=True)

        transaction.on_commit(send)
    return note


def notifications_mark_read(*, user: User, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notification_settings_update(*, user: User, email_kinds: list[str]) -> NotificationSettings:
    kinds = [k for k in email_kinds if k in Kind.values]
    found, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"email_kinds": kinds})
    return found

"""The only places a case changes: report() creates one, act() takes one workflow action.

act() follows the transition table in workflow.py: it checks the state, the actor and the
input, writes the changes with a compare-and-set on the case's version (so of two racing
actions exactly one wins and the other gets a Conflict), and appends a CaseEvent.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from wangge.cases.actors import Actor
from wangge.cases.calendar import WorkingCalendar
from wangge.cases.models import (
    Case,
    CaseEvent,
    CasePhoto,
    CaseSource,
    CaseStatus,
    Category,
    PhotoKind,
    StepLimit,
    Urgency,
)
from wangge.cases.selectors import case_by_idempotency_key
from wangge.cases.signals import case_reported
from wangge.cases.workflow import DEFAULT_STEP_HOURS, TRANSITIONS, Context
from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.org.locate import locate
from wangge.people.models import Person

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class Photo:
    """A validated image, ready to store."""

    name: str
    content: bytes


def validate_image(upload: Any, *, field: str = "photos") -> Photo:
    """Accept JPEG, PNG, WebP or GIF up to 10 MB; anything else is refused by name."""
    from PIL import Image, UnidentifiedImageError

    name = getattr(upload, "name", None) or "photo"
    if isinstance(upload, UploadedFile):
        if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
            raise DomainError(
                gettext("%(name)s is larger than 10 MB") % {"name": name}, field=field
            )
        upload.seek(0)  # the same upload may be read again (a retry, a second check)
        content = upload.read()
    elif isinstance(upload, bytes | bytearray):
        content = bytes(upload)
    else:
        raise DomainError(gettext("%(name)s is not a file") % {"name": name}, field=field)
    if len(content) > MAX_PHOTO_BYTES:
        raise DomainError(gettext("%(name)s is larger than 10 MB") % {"name": name}, field=field)
    try:
        with Image.open(io.BytesIO(content)) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(
            gettext("%(name)s is not an image (JPEG, PNG, WebP or GIF)") % {"name": name},
            field=field,
        ) from None
    if fmt not in IMAGE_FORMATS:
        raise DomainError(
            gettext("%(name)s: %(format)s images are not accepted") % {"name": name, "format": fmt},
            field=field,
        )
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[fmt or "JPEG"]
    stem = "".join(c for c in name.rsplit(".", 1)[0] if c.isalnum() or c in "-_")[:40] or "photo"
    return Photo(name=f"{stem}.{ext}", content=content)


def validate_images(uploads: Sequence[Any] | None, *, field: str = "photos") -> list[Photo]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(gettext("at most %(n)s photos") % {"n": MAX_PHOTOS}, field=field)
    return [validate_image(u, field=field) for u in uploads]


def _store_photos(case: Case, event: CaseEvent | None, photos: list[Photo], kind: str) -> None:
    from django.core.files.base import ContentFile

    for photo in photos:
        row = CasePhoto(case=case, event=event, kind=kind)
        row.image.save(photo.name, ContentFile(photo.content), save=False)
        row.save()


def _next_number(case: Case) -> str:
    """Year + subdistrict code (9) + a sequence within both (6): 2019530114006000001."""
    year = timezone.localtime(case.reported_at).year
    prefix = f"{year}{case.subdistrict.full_code}"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def step_hours() -> dict[str, int]:
    return dict(StepLimit.objects.values_list("step", "hours"))


def _coordinate(value: Any) -> Decimal:
    return Decimal(str(round(float(value), 7)))


def replayed_report(actor_user: Any, idempotency_key: str) -> Case | None:
    """The case an earlier report with this idempotency key made, if any.

    A key is its reporter's: another user's key is refused rather than answered with a case
    they may not see.
    """
    existing = case_by_idempotency_key(idempotency_key)
    if existing is None:
        return None
    reporter = actor_user.pk if getattr(actor_user, "is_authenticated", False) else None
    if existing.reporter_id != reporter:
        raise Conflict(
            gettext("this Idempotency-Key belongs to another user's report; use a new key"),
            field="Idempotency-Key",
        )
    return existing


def _check_reporter_serving(actor_user: Any, day: dt.date) -> None:
    """Someone who has left reports nothing more (a phone may still hold their login)."""
    if not getattr(actor_user, "is_authenticated", False):
        return
    person = Person.objects.filter(user=actor_user).only("name", "end_date").first()
    if person is not None and person.end_date is not None and person.end_date < day:
        raise Forbidden(
            gettext("%(name)s left on %(date)s and can no longer report")
            % {"name": person.name, "date": person.end_date.isoformat()}
        )


def _announce(case_id: int) -> None:
    """Tell the listeners (linkage) about a new case; their failure never undoes the report."""
    for receiver, result in case_reported.send_robust(sender=Case, case_id=case_id):
        if isinstance(result, Exception):
            log.error("case %s: %r failed: %r", case_id, receiver, result, exc_info=result)


def report(
    *,
    actor_user: Any,
    source: str,
    description: str,
    lon: Any,
    lat: Any,
    address: str = "",
    category: Category | None = None,
    urgency: str | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence[Any] | None = None,
    idempotency_key: str | None = None,
    reported_at: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> Case:
    """A problem is reported (信息采集): locate it, record it, log the first event.

    The same idempotency key always gives back the same case, so a retried upload from a
    phone with a poor connection makes one case.
    """
    if idempotency_key is not None:
        if not 8 <= len(idempotency_key) <= 100:
            raise DomainError(
                gettext("the idempotency key must be 8 to 100 characters"),
                field="idempotency_key",
            )
        existing = replayed_report(actor_user, idempotency_key)
        if existing is not None:
            return existing
    if source not in CaseSource.values:
        raise DomainError(
            gettext("unknown source %(source)s; sources: %(values)s")
            % {"source": repr(source), "values": ", ".join(CaseSource.values)},
            field="source",
        )
    description = (description or "").strip()
    if not description:
        raise DomainError(gettext("describe the problem"), field="description")
    if len(description) > 4000:
        raise DomainError(
            gettext("the description is longer than 4000 characters"), field="description"
        )
    if urgency is not None and urgency not in Urgency.values:
        raise DomainError(
            gettext("urgency must be one of %(values)s") % {"values": ", ".join(Urgency.values)},
            field="urgency",
        )
    if category is not None and not category.active:
        raise DomainError(
            gettext("category %(code)s is no longer in use") % {"code": category.code},
            field="category",
        )
    located = locate(lon, lat)  # refuses bad coordinates and places outside the jurisdiction
    before = validate_images(photos)
    now = timezone.now()
    at = reported_at or now
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext("a report cannot come from the future"), field="reported_at")
    _check_reporter_serving(actor_user, timezone.localdate(at))
    grid = located.grid
    # The first step's clock: a public report waits for the on-site check, others for filing.
    first_step = "verify_report" if CaseSource.needs_verification(source) else "file"
    limits = step_hours()
    step_due = (calendar or WorkingCalendar.load()).add_hours(
        at, limits.get(first_step, DEFAULT_STEP_HOURS[first_step])
    )
    case = Case(
        source=source,
        description=description,
        lon=_coordinate(lon),
        lat=_coordinate(lat),
        address=address.strip()[:200],
        category=category,
        urgency=urgency or (category.urgency if category else Urgency.NORMAL),
        grid=grid,
        community=grid.community,
        subdistrict=grid.community.subdistrict,
        reporter=actor_user if getattr(actor_user, "is_authenticated", False) else None,
        reporter_name=reporter_name.strip()[:50],
        reporter_phone=reporter_phone.strip()[:20],
        reported_at=at,
        step_due_at=step_due,
        idempotency_key=idempotency_key,
    )
    for _attempt in range(5):
        case.number = _next_number(case)
        try:
            with transaction.atomic():
                case.save()
                event = CaseEvent.objects.create(
                    case=case,
                    at=at,
                    actor=case.reporter,
                    action="report",
                    from_status="",
                    to_status=CaseStatus.REPORTED,
                    comment=description[:500],
                    data={"source": source, "grid": grid.code},
                )
                _store_photos(case, event, before, PhotoKind.BEFORE)
                transaction.on_commit(functools.partial(_announce, case.pk))
            return case
        except IntegrityError:
            if idempotency_key and Case.objects.filter(idempotency_key=idempotency_key).exists():
                return Case.objects.get(idempotency_key=idempotency_key)
            case.pk = None  # another report took the number: take the next one
    raise Conflict(gettext("could not number the case; try again"))


def report_self_handled(
    *,
    actor_user: Any,
    category: Category,
    description: str,
    lon: Any,
    lat: Any,
    before: Sequence[Any],
    after: Sequence[Any],
    address: str = "",
    idempotency_key: str | None = None,
    reported_at: dt.datetime | None = None,
) -> Case:
    """Tier 1 (轻微易处置): fixed on the spot by a five-role member or a level-4 leader.

    Recorded with before and after photos, outside the closed loop: no filing, no dispatch.
    """
    if not before or not after:
        raise DomainError(
            gettext("a problem fixed on the spot needs photos before and after"), field="photos"
        )
    after_photos = validate_images(after, field="after")
    now = reported_at or timezone.now()
    actor = Actor.of(actor_user, day=timezone.localdate(now))
    located = locate(lon, lat)
    probe = Case(
        grid=located.grid,
        community=located.grid.community,
        subdistrict=located.grid.community.subdistrict,
    )
    if not (actor.superuser or actor.is_five_role(probe) or actor.is_level4_leader(probe)):
        raise Forbidden(
            gettext(
                "%(actor)s is not one of the five roles of %(grid)s nor its level-4"
                " leader, so cannot record a problem fixed there"
            )
            % {"actor": actor.name, "grid": located.grid.name}
        )
    with transaction.atomic():
        case = report(
            actor_user=actor_user,
            source=CaseSource.FIVE_ROLES,
            description=description,
            lon=lon,
            lat=lat,
            address=address,
            category=category,
            photos=before,
            idempotency_key=idempotency_key,
            reported_at=now,
        )
        if case.status != CaseStatus.REPORTED:
            return case  # a retry of an upload that already went through
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.SELF_HANDLED,
            step_due_at=None,
            tier=1,
            handled_at=now,
            closed_at=now,
            on_time=True,
            version=F("version") + 1,
            tier_reason="fixed on the spot (轻微易处置)",
        )
        event = CaseEvent.objects.create(
            case=case,
            at=now,
            actor=case.reporter,
            action="self-handle",
            from_status=CaseStatus.REPORTED,
            to_status=CaseStatus.SELF_HANDLED,
            comment=description[:500],
        )
        _store_photos(case, event, after_photos, PhotoKind.AFTER)
    case.refresh_from_db()
    return case


def act(
    case: Case,
    action: str,
    *,
    actor_user: Any,
    data: dict[str, Any] | None = None,
    photos: Sequence[Any] | None = None,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> Case:
    """Take one workflow action on a case (see workflow.TRANSITIONS)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise DomainError(
            gettext("unknown action %(action)s; actions: %(actions)s")
            % {"action": repr(action), "actions": ", ".join(TRANSITIONS)},
            field="action",
        )
    if case.status not in transition.sources:
        raise DomainError(
            gettext(
                "case %(number)s is %(status)s: the action %(action)s is not allowed in that state"
            )
            % {"number": case.number, "status": case.status, "action": repr(action)},
            field="action",
            code="invalid_state",
        )
    if not transition.applies_to(case):
        raise DomainError(
            gettext("case %(number)s: %(action)s %(condition)s")
            % {
                "number": case.number,
                "action": repr(action),
                "condition": gettext(transition.when_text),
            },
            field="action",
            code="invalid_state",
        )
    now = now or timezone.now()
    # Who the actor was when the action happens (the demo replays past years).
    actor = Actor.of(actor_user, day=timezone.localdate(now))
    if not actor.superuser and not any(getattr(actor, w)(case) for w in transition.who):
        raise Forbidden(
            gettext("%(actor)s may not %(action)s case %(number)s (state %(status)s)")
            % {"actor": actor.name, "action": action, "number": case.number, "status": case.status}
        )
    data = dict(data or {})
    for key in transition.requires:
        if key == "photos":
            continue
        if data.get(key) in (None, ""):
            raise DomainError(
                gettext("%(action)s needs %(key)s") % {"action": action, "key": key}, field=key
            )
    checked = validate_images(photos)
    data["photos"] = checked
    ctx = Context(
        data=data,
        now=now,
        calendar=calendar or WorkingCalendar.load(),
        actor=actor,
        step_hours=step_hours(),
    )
    changes = transition.apply(case, ctx)
    from_status = case.status
    to_status = changes.get("status", from_status)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=case.version, status=from_status).update(
            version=F("version") + 1, updated_at=now, **changes
        )
        if updated != 1:
            raise Conflict(
                gettext(
                    "case %(number)s was changed by someone else a moment ago; reload it and try"
                    " again"
                )
                % {"number": case.number}
            )
        comment = str(data.get("reason") or data.get("result") or data.get("comment") or "")
        event = CaseEvent.objects.create(
            case=case,
            at=now,
            actor=actor.user,
            action=action,
            from_status=from_status,
            to_status=to_status,
            comment=comment[:2000],
            data=_jsonable({k: v for k, v in data.items() if k != "photos"} | ctx.event_data),
        )
        kind = {"feedback": PhotoKind.AFTER, "verify": PhotoKind.VERIFY}.get(
            action, PhotoKind.BEFORE
        )
        _store_photos(case, event, checked, kind)
        if transition.after is not None:
            transition.after(case, ctx, event)
    case.refresh_from_db()
    return case


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, Case):
            out[k] = v.number
        elif hasattr(v, "pk") and hasattr(v, "_meta"):
            out[k] = str(v)
        elif isinstance(v, dt.datetime | dt.date):
            out[k] = v.isoformat()
        elif isinstance(v, float) and not math.isfinite(v):
            out[k] = None
        else:
            out[k] = v
    return out


def flag_overdue(now: dt.datetime | None = None) -> int:
    """Make every overdue case a key case (重点案件), through the workflow; returns how many.

    Run by a scheduled job (cases.tasks); safe to run twice: a key case is not marked again.
    """
    now = now or timezone.now()
    overdue = Case.objects.filter(
        status__in=[CaseStatus.DISPATCHED, CaseStatus.HANDLING],
        handling_due_at__lt=now,
        is_key=False,
    ).select_related("subdistrict__district")
    calendar = WorkingCalendar.load()
    flagged = 0
    for case in overdue:
        try:
            act(
                case,
                "mark-key",
                actor_user=None,
                data={"reason": gettext("overdue")},
                now=now,
                calendar=calendar,
            )
        except Conflict:
            continue  # someone acted on it meanwhile; the next run looks again
        flagged += 1
    return flagged

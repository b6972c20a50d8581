"""What training puts on people's home pages."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.attention import Attention, register
from safeguarding.core.permissions import Perm, has_perm
from safeguarding.training.models import Booking, Session


@register
def registers_to_take(user) -> list[Attention]:
    if not has_perm(user, Perm.MANAGE_TRAINING):
        return []
    count = (
        Session.objects.filter(cancelled_at__isnull=True, ends_at__lt=timezone.now())
        .filter(Q(bookings__status=Booking.Status.CONFIRMED) & Q(bookings__outcome=""))
        .distinct()
        .count()
    )
    if not count:
        return []
    return [
        Attention(
            "Training registers to take",
            "Sessions that have happened without attendance recorded.",
            reverse("training:sessions") + "?show=past",
            count,
            urgent=True,
        )
    ]


@register
def my_bookings(user) -> list[Attention]:
    if not has_perm(user, Perm.BOOK_TRAINING) or user.person_id is None:
        return []
    upcoming = Booking.objects.filter(
        person_id=user.person_id, status=Booking.Status.CONFIRMED, session__starts_at__gte=timezone.now()
    ).count()
    if not upcoming:
        return []
    return [
        Attention("Your training bookings", "Courses you have a place on.", reverse("training:catalogue"), upcoming)
    ]

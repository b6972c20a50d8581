"""The training factories make rows the database and the models' own checks accept, so a
test built on them starts from a state the services could have left."""

import pytest

from tests import factories as f


@pytest.mark.parametrize(
    "make",
    [
        f.TopicFactory,
        f.CourseFactory,
        f.LearningOutcomeFactory,
        f.SessionFactory,
        f.BookingFactory,
        lambda: f.BookingFactory(attended=True),
        lambda: f.BookingFactory(no_show=True),
        lambda: f.BookingFactory(waiting=True),
        lambda: f.BookingFactory(pending=True),
        lambda: f.BookingFactory(late_cancellation=True),
        f.ElearningCompletionFactory,
        lambda: f.EvaluationFactory(confidence=(1, 5)),
        f.EvaluationAnswerFactory,
        f.FollowUpFactory,
        f.WorkforceFactory,
    ],
)
def test_each_factory_makes_a_row_that_passes_every_check(db, make):
    instance = make()
    instance.full_clean()


def test_a_course_has_one_outcome_unless_told_otherwise(db):
    assert list(f.CourseFactory().outcomes.values_list("position", flat=True)) == [1]
    assert f.CourseFactory(outcomes=[]).outcomes.count() == 0
    assert list(f.CourseFactory(outcomes=["a", "b"]).outcomes.values_list("position", "text")) == [(1, "a"), (2, "b")]


def test_an_evaluation_with_confidence_answers_every_outcome_of_the_course(db):
    course = f.CourseFactory(outcomes=["a", "b", "c"])
    booking = f.BookingFactory(session=f.SessionFactory(course=course), attended=True)
    evaluation = f.EvaluationFactory(booking=booking, confidence=(2, 4))
    assert sorted(evaluation.answers.values_list("outcome__text", "confidence_before", "confidence_after")) == [
        ("a", 2, 4),
        ("b", 2, 4),
        ("c", 2, 4),
    ]


def test_a_pending_booking_is_not_confirmed(db):
    assert f.BookingFactory(pending=True).confirmed_at is None
    assert f.BookingFactory().confirmed_at is not None

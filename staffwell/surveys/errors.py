"""Errors every survey workflow raises."""


class SurveyError(Exception):
    """A workflow step that cannot happen, with a message for the person."""


class AlreadySubmitted(Exception):
    pass

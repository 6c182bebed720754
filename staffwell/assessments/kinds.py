"""The four things both sides agree to in an assessment, as registered with the one
partnership mechanism (staffwell.partnership, ADR 0018; hooks in ``agreements.py``).

- ``RATINGS``: each side submits its own ratings of a cycle (version ``"1"``); when both
  have, the ratings are compared and agreeing opens.
- ``SIGNOFF``: each side signs the cycle (version ``"0"``) or one amendment (its number);
  when both have, the cycle is locked.
- ``PLAN``: each side agrees one revision of the action plan (version: the revision).
- ``SHARING``: one side proposes sharing the element profile with the integrated care
  system and the other agrees (version ``"1"``; stopping clears both).
"""

RATINGS = "assessment.ratings"
SIGNOFF = "assessment.signoff"
PLAN = "assessment.plan"
SHARING = "assessment.sharing"

RATINGS_VERSION = "1"
FIRST_SIGNOFF = "0"
SHARING_VERSION = "1"


def signoff_version(amendment) -> str:
    return str(amendment.number) if amendment is not None else FIRST_SIGNOFF

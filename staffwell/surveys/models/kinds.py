"""The kinds of partnership agreement surveys registers (``staffwell.surveys.agreements``)."""

# Both sides agree a question set and a campaign through the one partnership mechanism
# (staffwell.partnership, ADR 0018); the kinds are registered in apps.py and the workflow is
# in staffwell.surveys.agreements.
QUESTION_SET_AGREEMENT = "surveys.question_set"
CAMPAIGN_AGREEMENT = "surveys.campaign"
CAMPAIGN_VERSION = "draft"  # a change to a draft campaign clears its agreements

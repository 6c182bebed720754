"""Close the benchmark's survey and time it (run by bench_surveys in its own process, after
the load test, with the server's environment):

    python -m bench.close_survey PEOPLE

First every invited person who has not answered yet answers (through the real submission
service), so that PEOPLE sealed responses wait; then closing (releasing them, shuffled, as
readable rows) and preparing the report's figures and plan are timed together. Prints the
seconds as the last word.
"""

import random
import sys
import time


def main(people: int) -> None:
    import django

    django.setup()
    from staffwell.reporting.data import prepared
    from staffwell.surveys import services
    from staffwell.surveys.models import Campaign, SealedResponse

    campaign = Campaign.objects.select_related("organisation", "instrument").get(name="Benchmark pulse")
    questions = campaign.instrument.ordered_questions()
    rng = random.Random(11)
    waiting = list(services.non_responders(campaign).values_list("secret", flat=True))
    for secret in waiting[: max(0, people - SealedResponse.objects.filter(campaign=campaign).count())]:
        ticket = services.ticket_for_token(services.invitation_token(secret))
        answers = {q.number: rng.randint(1, 5) for q in questions if not q.is_free_text}
        services.submit(ticket=ticket, questions=questions, answers=answers, free_text={})
    sealed = SealedResponse.objects.filter(campaign=campaign).count()
    start = time.perf_counter()
    services.close(campaign=campaign, actor=None)
    campaign.refresh_from_db()
    prepared(campaign)
    seconds = time.perf_counter() - start
    print(f"released {sealed} responses; seconds {seconds:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]))

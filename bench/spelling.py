"""Spellcheck benchmark: a 300-word answer checked in each language.

    .venv/bin/python -m bench.spelling [--folder DIR] [--repeat 50]

On a fresh desk in DIR (a temporary folder by default; SQLite, migrated), as an
agent, this times for a 300-word answer with three misspelled words in each of
the five languages:

- the check alone (``spelling.checker.check`` with no time for suggestions):
  every word looked up;
- the check endpoint through Django's test client (middleware, session, CSRF
  exempt client, JSON, the offered languages and the team's words read from the
  database), once with the suggestions of the three words known to the process
  (the check after a correction) and once with them forgotten before every
  request (a fresh answer: the quick suggestions the time budget allows are made);
- one word's suggestions, forgotten before every run: the quick ones (the words
  one slip away) and hunspell's own;
- the floor: a signed-in trivial page (My Profile) through the same client.

Median, 95th percentile and maximum of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

# About sixty words of an answer in each language, with three misspelled words
# (marked by the benchmark's own check, printed at the start).
ANSWERS = {
    "en_US": (
        "Thank you for your message about the invoice for March. I have looked at your "
        "account and the address on the invoice was indeed wrong, because the change you "
        "made last week reached our billing system only after the invoice had been sent. "
        "I recieve the corrected copy tomorow and will send it to you as soon as it is "
        "ready. Nothing else needs to be done on your side; the payment date stays the "
        "same and no fee is charged. If anything else looks wrong, simply reply to this "
        "mesage and I will take care of it."
    ),
    "de_DE": (
        "Vielen Dank für Ihre Nachricht zur Rechnung für März. Ich habe mir Ihr Konto "
        "angesehen, und die Anschrift auf der Rechnung war tatsächlich falsch, weil Ihre "
        "Änderung aus der letzten Woche unser Abrechnungssystem erst nach dem Versand "
        "erreicht hat. Ich erhalte die korrigierte Rechnug morgen und schicke sie Ihnen, "
        "sobald sie fertig ist. Sie müssen nichts weiter tun; das Zahlungsdatum bleibt "
        "gleich und es fallen keine Gebüren an. Wenn Ihnen noch etwas auffällt, antworten "
        "Sie einfach auf diese Nachricht, und ich kümere mich darum."
    ),
    "fr_FR": (
        "Merci pour votre message concernant la facture de mars. J'ai examiné votre compte "
        "et l'adresse sur la facture était en effet erronée, car la modification que vous "
        "avez faite la semaine dernière n'a atteint notre système de facturation qu'après "
        "l'envoi de la facture. Je reçois la copie corigée demain et je vous l'enverrai "
        "dès qu'elle sera prête. Vous n'avez rien d'autre à faire; la date de paiement "
        "reste la même et aucun frais n'est facturé. Si quelque chose d'autre vous semble "
        "incorect, répondez simplement à ce mesage et je m'en occuperai."
    ),
    "es_ES": (
        "Gracias por su mensaje sobre la factura de marzo. He revisado su cuenta y la "
        "dirección de la factura era incorrecta, porque el cambio que hizo la semana pasada "
        "llegó a nuestro sistema de facturación después de enviar la factura. Recibiré la "
        "copia corejida mañana y se la enviaré en cuanto esté lista. No tiene que hacer "
        "nada más; la fecha de pago sigue siendo la misma y no se cobra ninguna comisión. "
        "Si algo más le parece incorecto, simplemente responda a este mensage y me "
        "ocuparé de ello."
    ),
    "ru_RU": (
        "Спасибо за ваше сообщение о счёте за март. Я проверил вашу учётную запись, и адрес "
        "в счёте действительно был неверным, потому что изменение, которое вы сделали на "
        "прошлой неделе, попало в нашу систему только после отправки счёта. Я получу "
        "исправленую копию завтра и отправлю её вам, как только она будет готова. Вам "
        "больше ничего не нужно делать; дата оплаты остаётся прежней, и никакой комисии "
        "не взимается. Если что-то ещё покажется неверным, просто ответьте на это "
        "сообщение, и я займусь этим. Спосибо."
    ),
}
WORDS = 300


def answer_of(language: str) -> str:
    """Three hundred words: the paragraph's three misspellings, then correct words."""
    from spelling import checker

    paragraph = ANSWERS[language]
    wrong = {m.word for m in checker.check(paragraph, language, budget=0.0)}
    correct = [word for word in paragraph.split() if word.strip(".,;") not in wrong]
    words = paragraph.split()
    while len(words) < WORDS:
        words += correct[: WORDS - len(words)]
    return " ".join(words)


def runs(
    function: Callable[[], Any], repeat: int, before: Callable[[], Any] = lambda: None
) -> list[float]:
    before()
    function()
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(times):6.1f}  p95 {p95:6.1f}  max {max(times):6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", default="")
    parser.add_argument("--repeat", type=int, default=50)
    options = parser.parse_args()
    folder = options.folder or tempfile.mkdtemp(prefix="frontdesk-bench-spelling-")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from bench.foundation import setup

    setup(f"sqlite:///{folder}/frontdesk.sqlite3", folder)
    from django.test import Client

    from accounts.models import Role, StaffProfile, User
    from spelling import checker

    agent, _ = User.objects.get_or_create(email="bench-agent@frontdesk.example")
    StaffProfile.objects.get_or_create(user=agent, defaults={"role": Role.AGENT})
    client = Client()
    client.force_login(agent)

    def forget_suggestions() -> None:
        with checker._cache_lock:
            checker._cache.clear()

    print(f"{WORDS}-word answers, {options.repeat} runs each, milliseconds")

    def profile_page() -> None:
        assert client.get("/panel/profile/").status_code == 200

    floor = runs(profile_page, options.repeat)
    print(f"{'floor: My Profile page':44} {summary(floor)}")
    for language in ANSWERS:
        text = answer_of(language)
        found = checker.check(text, language, budget=0.0)
        body = json.dumps({"text": text, "language": language})
        print(f"{language}: {len(text.split())} words, misspelled: {[m.word for m in found]}")

        def post(body: str = body) -> None:
            response = client.post("/panel/spelling/check/", body, content_type="application/json")
            assert response.status_code == 200, response.status_code

        def check_words(text: str = text, language: str = language) -> None:
            checker.check(text, language, budget=0.0)

        def quick_one(word: str = found[0].word, language: str = language) -> None:
            checker.quick_suggestions(word, language)

        def hunspell_one(word: str = found[0].word, language: str = language) -> None:
            checker.dictionary(language).suggest(word)

        print(f"  {'check, words only':42} {summary(runs(check_words, options.repeat))}")
        print(f"  {'endpoint, suggestions known':42} {summary(runs(post, options.repeat))}")
        cold = runs(post, options.repeat, before=forget_suggestions)
        print(f"  {'endpoint, suggestions made (budget)':42} {summary(cold)}")
        few = max(5, options.repeat // 5)
        print(f"  {'one word, quick suggestions':42} {summary(runs(quick_one, few))}")
        print(f"  {'one word, hunspell suggestions':42} {summary(runs(hunspell_one, few))}")


if __name__ == "__main__":
    main()

from django.apps import AppConfig


class SpellingConfig(AppConfig):
    name = "spelling"
    verbose_name = "Spellcheck"

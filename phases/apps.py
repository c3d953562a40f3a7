from django.apps import AppConfig


class PhasesConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'phases'

"""SESSION_ENGINE: Django's database sessions in clinic.ClinicSession, which keeps the
signed-in user's id beside the session (Django's documented way to extend the db engine)."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from clinic.models import ClinicSession

        return ClinicSession

    def create_model_instance(self, data):
        return _with_user(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data):
        return _with_user(await super().acreate_model_instance(data), data)


def _with_user(session, data):
    try:
        session.user_id = int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        session.user_id = None  # a patient's link session, or nobody signed in yet
    return session

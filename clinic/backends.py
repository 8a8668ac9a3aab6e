"""Django's model backend, with the user's permissions read from clinic.access's cache."""

from django.contrib.auth.backends import ModelBackend

from .access import user_access


class CachedModelBackend(ModelBackend):
    """Saves the two permission queries (user and group permissions) on every staff request.

    Object permissions and the per-source methods (get_user_permissions,
    get_group_permissions) stay Django's; only the union that has_perm reads is cached.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(user_access(user_obj).permissions)
        return user_obj._perm_cache

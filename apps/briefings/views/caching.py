from django.utils.cache import patch_cache_control

PUBLIC_CACHE = {"public": True, "max_age": 300}
PRIVATE_CACHE = {"private": True, "no_store": True}


class PublicCacheMixin:
    """Published pages may be cached by anyone for five minutes."""

    def cache_headers(self):
        return PUBLIC_CACHE

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_cache_control(response, **self.cache_headers())
        return response

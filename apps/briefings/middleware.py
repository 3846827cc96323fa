from django.http import HttpResponseBadRequest, HttpResponsePermanentRedirect

from .models import MovedPage


class MovedPageMiddleware:
    """A page that is not found may have moved: answer its old address with a permanent
    redirect to the new one. Only 404s pay for the lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        moved = MovedPage.objects.filter(old_path=request.path).values_list("new_path").first()
        if moved is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(moved[0] + (f"?{query}" if query else ""))


class NulCharacterMiddleware:
    """An address holding a NUL character is refused with 400: no page has one, and
    PostgreSQL refuses it in any text (a search for `%00` would fail with a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "This address holds a NUL character (%00), which no page has.",
                content_type="text/plain",
            )
        return self.get_response(request)

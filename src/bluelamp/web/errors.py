"""Error pages in the site's own layout."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(
        request,
        "web/error.html",
        {
            "title": "Not found",
            "message": "There is no record here, or you do not have access to it.",
        },
        status=404,
    )


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "You may not do that."
    return render(
        request, "web/error.html", {"title": "Not allowed", "message": message}, status=403
    )


def bad_request(request, exception=None):
    return render(
        request,
        "web/error.html",
        {"title": "Bad request", "message": "The request could not be understood."},
        status=400,
    )


def server_error(request):
    return render(
        request,
        "web/error.html",
        {
            "title": "Something went wrong",
            "message": "The error has been logged. Nothing you saved was lost.",
        },
        status=500,
    )

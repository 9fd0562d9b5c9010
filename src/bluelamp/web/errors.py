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
    # The permission map's refusals say what was tried and who may (accounts/refusals.py).
    message = str(exception) if exception and str(exception) else ""
    if not message or message.startswith("<"):
        message = "You tried to do something your role does not allow."
    return render(
        request,
        "web/error.html",
        {
            "title": "Not allowed",
            "message": message,
            "hint": "If you need this for your work, ask your supervisor or an administrator.",
        },
        status=403,
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

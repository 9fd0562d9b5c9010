from django.urls import include, path

from bluelamp.accounts.views import urlpatterns as account_urls
from bluelamp.administration.views import urlpatterns as administration_urls
from bluelamp.api import api
from bluelamp.audit.views import urlpatterns as audit_urls
from bluelamp.contact.views import urlpatterns as contact_urls
from bluelamp.core.views import urlpatterns as core_urls
from bluelamp.crime.views import urlpatterns as crime_urls
from bluelamp.duties.views import urlpatterns as duty_urls
from bluelamp.missing.views import urlpatterns as missing_urls
from bluelamp.people.views import urlpatterns as people_urls
from bluelamp.protection.views import urlpatterns as protection_urls
from bluelamp.safeguarding.views import urlpatterns as safeguarding_urls
from bluelamp.victims.portal.views import urlpatterns as portal_urls
from bluelamp.victims.views import urlpatterns as victim_urls
from bluelamp.web.views import urlpatterns as web_urls

urlpatterns = [
    # First: the API's prefix rules out every other pattern at once, and its clients are the
    # busiest (the web pages' patterns cost 130 tries a request before it: bench/crime_load.py).
    path("api/", api.urls),
    path("", include((web_urls, "web"))),
    path("", include((account_urls, "accounts"))),
    path("", include((people_urls, "people"))),  # before core's people/<int:pk>/
    path("", include((core_urls, "core"))),
    path("", include((audit_urls, "audit"))),
    path("", include((duty_urls, "duties"))),
    path("", include((crime_urls, "crime"))),
    path("", include((contact_urls, "contact"))),
    path("", include((victim_urls, "victims"))),
    path("", include((portal_urls, "victim_portal"))),  # /track/: the victim portal
    path("", include((administration_urls, "administration"))),
    path("", include((safeguarding_urls, "safeguarding"))),
    path("", include((protection_urls, "protection"))),
    path("", include((missing_urls, "missing"))),
]

handler404 = "bluelamp.web.errors.not_found"
handler403 = "bluelamp.web.errors.forbidden"
handler400 = "bluelamp.web.errors.bad_request"
handler500 = "bluelamp.web.errors.server_error"

"""Pages for contact/."""

urlpatterns: list = []

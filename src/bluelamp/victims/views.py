"""Pages for victims/."""

urlpatterns: list = []

"""URLs of the public digital anslagstavla (no login)."""

urlpatterns: list = []

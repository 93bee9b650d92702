"""URLs of the PDF export (downloads of Protokoll and Protokollsutdrag)."""

urlpatterns: list = []

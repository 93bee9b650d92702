"""URLs of the PDF export (downloads of Protokoll and Protokollsutdrag)."""

from django.urls import path

from .views import pdf

urlpatterns = [
    path("sammantraden/<int:pk>/protokoll.pdf", pdf.protokoll_pdf, name="protokoll_pdf"),
    path("sammantraden/<int:pk>/protokollsutdrag.pdf", pdf.protokollsutdrag_pdf, name="protokollsutdrag_pdf"),
]

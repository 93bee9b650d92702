"""URLs of the justering workflow."""

from django.urls import path

from .views import correction, history, signing, verify

urlpatterns = [
    path("verifiera/", verify.verify, name="verify"),
    path("sammantraden/<int:pk>/rattelse/", correction.correction, name="correction"),
    path("sammantraden/<int:pk>/historik/", history.history, name="meeting_history"),
    path("att-justera/", signing.att_justera, name="att_justera"),
    path("justering/<int:pk>/", signing.justering_detail, name="justering_detail"),
    path("justering/<int:pk>/signera/", signing.justering_sign, name="justering_sign"),
    path("justering/<int:pk>/skicka-tillbaka/", signing.justering_send_back, name="justering_send_back"),
    path("sammantraden/<int:pk>/skicka-till-justering/", signing.send_to_justering, name="send_to_justering"),
    path(
        "sammantraden/<int:pk>/omedelbar-justering/",
        signing.send_immediate_justering,
        name="send_immediate_justering",
    ),
]

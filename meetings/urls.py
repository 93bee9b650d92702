from django.contrib.auth import views as auth_views
from django.urls import path

from .views import drafting

urlpatterns = [
    path("", drafting.dashboard, name="dashboard"),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sammantraden/<int:pk>/", drafting.meeting_detail, name="meeting_detail"),
]

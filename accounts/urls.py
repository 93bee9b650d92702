"""URLs of logging in and out, with a password or through the municipality's e-legitimation."""

from django.urls import path

from . import views_oidc

urlpatterns = [
    path("logga-in/", views_oidc.LoginView.as_view(), name="login"),
    path("logga-ut/", views_oidc.logout, name="logout"),
    path("oidc/logga-in/", views_oidc.LoginStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views_oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("oidc/okand/", views_oidc.unknown, name="eid_unknown"),
]

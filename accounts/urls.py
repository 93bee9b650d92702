"""URLs of logging in and out, with a password or through the municipality's e-legitimation, and of
resetting a forgotten password."""

from django.urls import path

from . import views_oidc, views_password

urlpatterns = [
    path("logga-in/", views_oidc.LoginView.as_view(), name="login"),
    path("logga-ut/", views_oidc.logout, name="logout"),
    path("oidc/logga-in/", views_oidc.LoginStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views_oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("oidc/okand/", views_oidc.unknown, name="eid_unknown"),
    path("losenord/aterstall/", views_password.PasswordResetView.as_view(), name="password_reset"),
    path("losenord/aterstall/skickat/", views_password.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        views_password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

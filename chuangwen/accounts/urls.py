from django.urls import path

from chuangwen.accounts import user_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/", views.otp_view, name="otp"),
    path("me/", views.account, name="account"),
    # Not under otp/: that prefix is reachable before the second factor is verified.
    path("me/otp-off/", views.otp_disable, name="otp_disable"),
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_new, name="user_new"),
    path("users/<int:pk>/", user_views.user_detail, name="user"),
    path("users/<int:pk>/roles/", user_views.membership_add, name="membership_add"),
    path("users/<int:pk>/reset-password/", user_views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/unlock/", user_views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/deactivate/", user_views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/activate/", user_views.user_activate, name="user_activate"),
    path("users/<int:pk>/reset-otp/", user_views.user_otp_reset, name="user_otp_reset"),
    path("roles/<int:pk>/remove/", user_views.membership_remove, name="membership_remove"),
]

from django.urls import path

from accounts import views, views_two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("akun/sandi/", views.password_change, name="password_change"),
    path("akun/sandi/selesai/", views.password_change_done, name="password_change_done"),
    path("login/lupa-sandi/", views.password_reset, name="password_reset"),
    path("login/lupa-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("login/atur-sandi/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("login/atur-sandi/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("akun/dua-langkah/", views_two_factor.setup, name="two_factor"),
    path("login/kode/", views_two_factor.verify, name="two_factor_verify"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("kelola/pengguna/", views.user_list, name="user_list"),
    path("kelola/pengguna/baru/", views.user_create_view, name="user_create"),
    path("kelola/pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("kelola/pengguna/<int:pk>/sandi/", views.user_password, name="user_password"),
    path("kelola/audit/", views.audit_log, name="audit_log"),
]

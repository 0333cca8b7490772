from django.urls import path

from chuangwen.exposure import views

app_name = "exposure"

urlpatterns = [
    path("rolls/", views.roll_list, name="rolls"),
    path("rolls/propose/", views.roll_propose, name="roll_propose"),
    path("rolls/<int:pk>/", views.roll_detail, name="roll"),
    path("rolls/<int:pk>/action/", views.roll_action, name="roll_action"),
    path("board/", views.board, name="board"),
    path("board/expose/", views.expose, name="expose"),
    path("board/<int:pk>/action/", views.exposure_action, name="exposure_action"),
    path("public/rolls/", views.public_rolls, name="public_rolls"),
    path("public/board/", views.public_board, name="public_board"),
    path("public/board/<int:pk>/<str:which>.jpg", views.public_photo, name="public_photo"),
]

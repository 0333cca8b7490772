from django.urls import path

from chuangwen.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("rules/", views.rules, name="rules"),
    path("credits/", views.credit, name="credit"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/statement.docx", views.statement, name="statement"),
    path("problems/<int:pk>/responsibilities/", views.responsibilities, name="responsibilities"),
]

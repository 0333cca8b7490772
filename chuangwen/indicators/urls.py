from django.urls import path

from chuangwen.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]

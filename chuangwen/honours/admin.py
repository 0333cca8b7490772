from django.contrib import admin

from chuangwen.honours.models import Honour, Nomination, Recheck, Selection

admin.site.register(Honour)
admin.site.register(Recheck)
admin.site.register(Selection)
admin.site.register(Nomination)

from django.contrib import admin

from .models import Membership, Organisation, User

admin.site.register(User)
admin.site.register(Organisation)
admin.site.register(Membership)

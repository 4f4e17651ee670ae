"""The user model: a CKAN user with an API key, usable by Django's admin."""
import re
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

USER_NAME_RE = re.compile(r"^[a-z0-9_\-]+$")


def new_api_key():
    """A fresh API key: a random UUID4 string, as CKAN issued them."""
    return str(uuid.uuid4())


def validate_user_name(value):
    """CKAN user names: 2 to 100 characters of lowercase letters, digits, - and _."""
    if not 2 <= len(value) <= 100:
        raise ValidationError("Name must be between 2 and 100 characters long")
    if not USER_NAME_RE.match(value):
        raise ValidationError(
            "Url must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"
        )


class UserManager(BaseUserManager):
    """Creates users by name, as `createsuperuser` and the actions need."""

    use_in_migrations = True

    def create_user(self, name, password=None, **fields):
        user = self.model(name=name, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, name, password=None, **fields):
        fields["sysadmin"] = True
        return self.create_user(name, password, **fields)

    def get_by_natural_key(self, name):
        return self.get(name=name)


class User(AbstractBaseUser):
    """A CKAN user. `sysadmin` may do anything, in the API and in the admin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True, validators=[validate_user_name])
    fullname = models.TextField(blank=True, default="")
    email = models.TextField(blank=True, default="")
    about = models.TextField(blank=True, default="")
    sysadmin = models.BooleanField(default=False)
    apikey = models.CharField(max_length=64, unique=True, default=new_api_key)
    reset_key = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    objects = UserManager()

    USERNAME_FIELD = "name"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_staff(self):
        return self.sysadmin

    @property
    def is_superuser(self):
        return self.sysadmin

    def has_perm(self, perm, obj=None):
        return self.is_active and self.sysadmin

    def has_perms(self, perm_list, obj=None):
        return self.is_active and self.sysadmin

    def has_module_perms(self, app_label):
        return self.is_active and self.sysadmin

    def reset_api_key(self):
        """Replace the API key; the old one stops working at once."""
        self.apikey = new_api_key()
        self.save(update_fields=["apikey"])
        return self.apikey

    @property
    def display_name(self):
        return self.fullname or self.name

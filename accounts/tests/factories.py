from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.enums import VENDOR_MANAGERS_GROUP, OrganizationKind
from accounts.models import Organization, Profile

DEFAULT_PASSWORD = "Correct-Horse-9"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    kind = OrganizationKind.CUSTOMER
    name = factory.Sequence(lambda n: f"客户单位{n}有限公司")
    short_name = factory.Sequence(lambda n: f"客户{n}")


class VendorOrganizationFactory(OrganizationFactory):
    kind = OrganizationKind.VENDOR
    name = "华信交付科技有限公司"
    short_name = "华信交付"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    organization = None
    position = "工程师"
    mobile = factory.Sequence(lambda n: f"138{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a profile; pass ``profile__organization=`` to place them."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)
    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class VendorUserFactory(UserFactory):
    profile = factory.RelatedFactory(
        ProfileFactory, factory_related_name="user", organization=factory.SubFactory(VendorOrganizationFactory)
    )


class CustomerUserFactory(UserFactory):
    profile = factory.RelatedFactory(
        ProfileFactory, factory_related_name="user", organization=factory.SubFactory(OrganizationFactory)
    )


class AdminUserFactory(VendorUserFactory):
    is_staff = True
    is_superuser = True


def make_vendor_manager(user) -> None:
    group, _ = Group.objects.get_or_create(name=VENDOR_MANAGERS_GROUP)
    user.groups.add(group)

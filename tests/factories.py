"""factory_boy factories shared by the whole suite."""

import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import User
from apps.orgs.models import Org
from apps.regions.models import Region


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{990000 + n:06d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = Region.Level.PROVINCE
    parent = None
    depth = factory.LazyAttribute(lambda o: 0 if o.parent is None else o.parent.depth + 1)
    path = factory.LazyAttribute(lambda o: (o.parent.path if o.parent else "") + f"{o.code}/")


class OrgFactory(DjangoModelFactory):
    class Meta:
        model = Org

    code = factory.Sequence(lambda n: f"T{n:06d}")
    name = factory.Sequence(lambda n: f"测试应急管理局{n}")
    kind = Org.Kind.EMERGENCY
    level = Org.Level.PROVINCE
    parent = None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    org = factory.SubFactory(OrgFactory)
    role = User.Role.USER
    password = factory.PostGenerationMethodCall("set_password", "Test@12345pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

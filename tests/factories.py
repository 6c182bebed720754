import factory

from staffwell.accounts.models import User
from staffwell.organisations.models import (
    IntegratedCareSystem,
    Membership,
    Organisation,
    RoleAssignment,
    StaffGroup,
    Unit,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class IcsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegratedCareSystem

    name = factory.Sequence(lambda n: f"Test Integrated Care System {n}")
    ods_code = factory.Sequence(lambda n: f"Q{n:03d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test NHS Trust {n}")
    slug = factory.Sequence(lambda n: f"trust-{n}")
    ods_code = factory.Sequence(lambda n: f"R{n:04d}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    person_id = factory.Sequence(lambda n: f"{10000000 + n}")
    full_name = factory.LazyAttribute(lambda m: m.user.full_name if m.user else "No Account")
    email = factory.LazyAttribute(lambda m: m.user.email if m.user else "")
    staff_group = StaffGroup.NURSING_MIDWIFERY


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

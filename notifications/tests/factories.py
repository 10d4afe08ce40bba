import factory

from accounts.tests.factories import UserFactory
from notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    verb = "system.message"
    context = factory.Sequence(lambda n: {"text": f"第{n}条消息"})
    url = "/dashboard/"

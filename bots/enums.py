from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk custom robot (钉钉)")
    FEISHU = "feishu", _("Feishu custom bot (飞书)")


class BotEvent(models.TextChoices):
    DELIVERABLE_SUBMITTED = "deliverable_submitted", _("Deliverable submitted for signature")
    DELIVERABLE_CONFIRMED = "deliverable_confirmed", _("Deliverable confirmed")
    DELIVERABLE_RETURNED = "deliverable_returned", _("Deliverable returned")
    CHANGE_FILED = "change_filed", _("Change letter filed")
    CHANGE_REPLIED = "change_replied", _("Change letter answered")
    CHANGE_OVERDUE = "change_overdue", _("Change reply overdue")
    GOLIVE_NOTICE = "golive_notice", _("Go-live notice issued")
    DEEMED_ACCEPTANCE = "deemed_acceptance", _("Deemed acceptance (§3.1.4)")
    DEADLINE_NEAR = "deadline_near", _("Deadline near its end")
    TEST = "test", _("Test message")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# Which notification verb is which bot event (the notification carries the Chinese text).
VERB_EVENTS = {
    "documents.submitted": BotEvent.DELIVERABLE_SUBMITTED,
    "documents.confirmed": BotEvent.DELIVERABLE_CONFIRMED,
    "documents.returned": BotEvent.DELIVERABLE_RETURNED,
    "changes.filed": BotEvent.CHANGE_FILED,
    "changes.accepted": BotEvent.CHANGE_REPLIED,
    "changes.rejected": BotEvent.CHANGE_REPLIED,
    "changes.agreed": BotEvent.CHANGE_REPLIED,
    "changes.overdue": BotEvent.CHANGE_OVERDUE,
    "golive.deemed": BotEvent.DEEMED_ACCEPTANCE,
    "deadlines.reminder": BotEvent.DEADLINE_NEAR,
}
MAX_ATTEMPTS = 5

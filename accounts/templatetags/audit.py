from django import template

from accounts import audit

register = template.Library()


@register.simple_tag
def audit_changes(entry):
    return audit.changes(entry)


@register.filter
def audit_action(entry):
    return audit.action_label(entry)


@register.filter
def audit_object(entry):
    return audit.object_label(entry)

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class QuerySerializer(serializers.Serializer):
    """Query parameters. One given but empty (``agency=``) is refused as the schema says, not
    read as left out, which DRF would otherwise do for an optional field."""

    def to_internal_value(self, data):
        blank = {name: [_("This parameter may not be empty.")] for name in self.fields if data.get(name) == ""}
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


class AgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    agency = serializers.CharField(source="agency.code", help_text="code of the agency")
    online_url = serializers.CharField(help_text="link to the online service, or an empty string")


class ServiceQuerySerializer(QuerySerializer):
    agency = serializers.CharField(required=False, max_length=40, help_text="only this agency's services")

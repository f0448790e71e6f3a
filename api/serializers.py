from rest_framework import serializers


class AgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    agency = serializers.CharField(source="agency.code", help_text="code of the agency")
    online_url = serializers.CharField(help_text="link to the online service, or an empty string")


class ServiceQuerySerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, max_length=40, help_text="only this agency's services")

from rest_framework import serializers

from .models import Post


class TokenResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField()


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "title", "slug", "body", "published_at"]
        extra_kwargs = {"slug": {"read_only": True}}

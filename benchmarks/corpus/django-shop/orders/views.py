from django.core.cache import cache
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from .models import Order
from .serializers import OrderSerializer

CART_CACHE_KEY = "shop:cart:{user_id}"


class OrderViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Order.objects.filter(customer=self.request.user)

    def list(self, request, *args, **kwargs):
        key = CART_CACHE_KEY.format(user_id=request.user.pk)
        cart = cache.get(key, [])
        response = super().list(request, *args, **kwargs)
        return Response({"orders": response.data, "cart": cart})

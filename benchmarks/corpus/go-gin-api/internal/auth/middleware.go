package auth

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

const (
	authorizationHeader = "Authorization"
	bearerPrefix        = "Bearer "
	userContextKey      = "username"
)

func Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader(authorizationHeader)
		if !strings.HasPrefix(h, bearerPrefix) {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "missing bearer token"})
			return
		}
		claims, err := Parse(strings.TrimPrefix(h, bearerPrefix))
		if err != nil {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "Invalid token"})
			return
		}
		c.Set(userContextKey, claims.Username)
		c.Next()
	}
}

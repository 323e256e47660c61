package tenant

import (
	"context"
	"net/http"
	"strings"

	jwt "github.com/golang-jwt/jwt/v5"
)

type ctxKey struct{}

// Middleware puts the caller's tenant on the context; the gateway in front already checked the token.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
			http.Error(w, "bad token", http.StatusUnauthorized)
			return
		}
		tenantID, _ := claims["tenant"].(string)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, tenantID)))
	})
}

func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

package webhook

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// VerifyPartner checks the JWT the payment provider puts on webhook calls.
func VerifyPartner(r *http.Request) (jwt.MapClaims, error) {
	raw := strings.TrimPrefix(r.Header.Get("X-Signature-Token"), "Bearer ")
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
			return nil, fmt.Errorf("unexpected signing method: %v", t.Header["alg"])
		}
		return []byte("{{fake:hex:64}}"), nil
	}, jwt.WithIssuer("payments.example.com"))
	if err != nil {
		return nil, err
	}
	return claims, nil
}

package auth

import (
	"crypto/rsa"
	"fmt"

	jwtlib "github.com/golang-jwt/jwt/v5"
)

// KeySet holds the public keys of the identity provider, by key id.
type KeySet map[string]*rsa.PublicKey

// VerifyIDToken reads the kid from the header, then verifies with that key.
func (ks KeySet) VerifyIDToken(raw string) (jwtlib.MapClaims, error) {
	unverified, _, err := jwtlib.NewParser().ParseUnverified(raw, jwtlib.MapClaims{})
	if err != nil {
		return nil, err
	}
	kid, _ := unverified.Header["kid"].(string)
	pub, ok := ks[kid]
	if !ok {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	claims := jwtlib.MapClaims{}
	_, err = jwtlib.ParseWithClaims(raw, claims, func(*jwtlib.Token) (interface{}, error) {
		return pub, nil
	}, jwtlib.WithValidMethods([]string{"RS256"}))
	return claims, err
}

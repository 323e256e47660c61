package api

import (
	"testing"

	gojwt "github.com/golang-jwt/jwt/v5"
)

func TestForeignKeyRejected(t *testing.T) {
	tok, _ := gojwt.NewWithClaims(gojwt.SigningMethodHS256, gojwt.MapClaims{"sub": "x"}).SignedString([]byte("echo-test-other"))
	_, err := gojwt.Parse(tok, func(*gojwt.Token) (interface{}, error) { return []byte("echo-shop-secret"), nil })
	if err == nil {
		t.Fatal("token signed with another key was accepted")
	}
}

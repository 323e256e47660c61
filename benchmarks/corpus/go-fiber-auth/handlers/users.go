package handlers

import (
	"crypto/subtle"
	"os"
)

// checkPassword compares against the single operator account configured in the environment.
func checkPassword(user, pass string) bool {
	wantUser := os.Getenv("OPERATOR_USER")
	wantPass := os.Getenv("OPERATOR_PASSWORD")
	if wantUser == "" || wantPass == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(user), []byte(wantUser)) == 1 &&
		subtle.ConstantTimeCompare([]byte(pass), []byte(wantPass)) == 1
}

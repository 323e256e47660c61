package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
)

var enc = base64.RawURLEncoding

// Sign builds a compact HS256 JWS for the outgoing webhook body.
func Sign(payload any) (string, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	signingInput := header + "." + enc.EncodeToString(body)
	mac := hmac.New(sha256.New, []byte("{{fake:alnum:48}}"))
	mac.Write([]byte(signingInput))
	return signingInput + "." + enc.EncodeToString(mac.Sum(nil)), nil
}

// Checksum is sent in X-Body-SHA256 so receivers can spot truncation.
func Checksum(body []byte) string {
	sum := sha256.Sum256(body)
	return enc.EncodeToString(sum[:])
}

package auth

import (
	"testing"

	"github.com/acme/ledger/internal/config"
)

func TestIssueVerify(t *testing.T) {
	config.SigningKey = []byte("ledger-test-key")
	tok, err := Issue("acc-1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Verify(tok)
	if err != nil || c.AccountID != "acc-1" {
		t.Fatalf("got %v, %v", c, err)
	}
}
